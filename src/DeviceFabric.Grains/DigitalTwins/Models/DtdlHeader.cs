using System.Text.Json.Nodes;

namespace DeviceFabric.DigitalTwins;

/// <summary>
/// What a batch needs to know about an interface before compiling any of them: its id, version and what it extends,
/// so interfaces may reference each other in any order.
/// </summary>
internal sealed record DtdlHeader(
    string Id,
    int Version,
    string Path,
    JsonObject Node,
    IReadOnlyList<(string Id, string Path)> Extends,
    bool HasExtensions)
{
    /// <summary>DTDL v2 allows 2 direct extends and v3 12; ADT takes 12 for both, and so does this.</summary>
    private const int MaxExtends = 12;

    public static DtdlHeader Read(JsonNode? element, string path)
    {
        if (element is not JsonObject model)
        {
            throw DtdlErrors.At(path, element is JsonArray
                ? "must be an interface object, not an array"
                : "must be an interface object");
        }

        var version = DtdlSyntax.ReadContext(model, path, out var hasExtensions);
        var id = DtdlSyntax.ReadString(model, "@id", path);
        if (!DtdlSyntax.IsDtmi(id, version))
        {
            throw DtdlErrors.At(DtdlSyntax.Member(path, "@id"), id.Length > DtdlSyntax.MaxDtmiLength
                ? $"a DTMI has at most {DtdlSyntax.MaxDtmiLength} characters"
                : $"'{id}' is not a valid DTDL v{version} DTMI (dtmi:segment:segment;version)");
        }

        var typePath = DtdlSyntax.Member(path, "@type");
        if (!DtdlSyntax.ReadTypes(model["@type"], typePath).Contains("Interface", StringComparer.Ordinal))
        {
            throw DtdlErrors.At(typePath, "must be \"Interface\"");
        }

        return new DtdlHeader(id, version, path, model, ReadExtends(model, path), hasExtensions);
    }

    private static List<(string Id, string Path)> ReadExtends(JsonObject model, string path)
    {
        var at = DtdlSyntax.Member(path, "extends");
        var extends = new List<(string Id, string Path)>();
        switch (model["extends"])
        {
            case null:
                return extends;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    extends.Add((Reference(array[i], DtdlSyntax.Item(at, i)), DtdlSyntax.Item(at, i)));
                }

                break;
            case var single:
                extends.Add((Reference(single, at), at));
                break;
        }

        if (extends.Count > MaxExtends)
        {
            throw DtdlErrors.At(at, $"an interface extends at most {MaxExtends} interfaces directly");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, itemPath) in extends)
        {
            if (!seen.Add(id))
            {
                throw DtdlErrors.At(itemPath, $"'{id}' is extended twice");
            }
        }

        return extends;
    }

    private static string Reference(JsonNode? node, string path)
    {
        if (node is JsonObject)
        {
            throw DtdlErrors.At(path, "inline interfaces are not supported in extends; reference the interface by its DTMI");
        }

        var id = DtdlSyntax.AsString(node) ?? throw DtdlErrors.At(path, "must be an interface DTMI");

        // References are read with the laxer v3 spelling: whichever version the target is, it must also resolve.
        return DtdlSyntax.IsDtmi(id, 3) ? id : throw DtdlErrors.At(path, $"'{id}' is not a valid DTMI");
    }
}
