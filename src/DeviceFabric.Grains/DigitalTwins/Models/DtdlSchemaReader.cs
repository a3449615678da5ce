using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DeviceFabric.DigitalTwins;

/// <summary>
/// Reads the schema values of one interface: primitive names, references to the interface's own <c>schemas</c>, and
/// inline Object, Map, Enum and Array definitions, within the version's nesting limit.
/// </summary>
internal sealed class DtdlSchemaReader
{
    private readonly int _version;
    private readonly Dictionary<string, (JsonObject Node, string Path)> _named;

    // The named schemas being read right now: meeting one again means it contains itself.
    private readonly HashSet<string> _reading = new(StringComparer.Ordinal);

    private DtdlSchemaReader(int version, Dictionary<string, (JsonObject Node, string Path)> named)
    {
        _version = version;
        _named = named;
    }

    private int MaxDepth => _version >= 3 ? 8 : 5;

    /// <summary>The reader for the interface at <paramref name="path"/>, its <c>schemas</c> entries already checked.</summary>
    public static DtdlSchemaReader ForInterface(JsonObject model, string path, int version)
    {
        var named = new Dictionary<string, (JsonObject Node, string Path)>(StringComparer.Ordinal);
        var reader = new DtdlSchemaReader(version, named);
        var at = DtdlSyntax.Member(path, "schemas");
        switch (model["schemas"])
        {
            case null:
                return reader;
            case JsonArray entries:
                for (var i = 0; i < entries.Count; i++)
                {
                    var entryPath = DtdlSyntax.Item(at, i);
                    if (entries[i] is not JsonObject entry)
                    {
                        throw DtdlErrors.At(entryPath, "must be a schema object with an @id");
                    }

                    var id = DtdlSyntax.ReadString(entry, "@id", entryPath);
                    if (!DtdlSyntax.IsDtmi(id, version))
                    {
                        throw DtdlErrors.At(DtdlSyntax.Member(entryPath, "@id"), $"'{id}' is not a valid DTMI");
                    }

                    if (!named.TryAdd(id, (entry, entryPath)))
                    {
                        throw DtdlErrors.At(DtdlSyntax.Member(entryPath, "@id"), $"'{id}' is defined twice in schemas");
                    }
                }

                break;
            default:
                throw DtdlErrors.At(at, "must be an array");
        }

        // Each entry is read once on its own, so a broken schema is refused even when nothing uses it.
        foreach (var (id, (node, entryPath)) in named)
        {
            reader._reading.Add(id);
            reader.ReadComplex(node, entryPath, 1, inProperty: false);
            reader._reading.Remove(id);
        }

        return reader;
    }

    /// <summary>
    /// Reads a schema value. <paramref name="inProperty"/> is set for Property schemas, which DTDL v2 forbids Arrays in.
    /// </summary>
    public DtdlSchema Read(JsonNode? node, string path, bool inProperty) => Read(node, path, 0, inProperty);

    private DtdlSchema Read(JsonNode? node, string path, int depth, bool inProperty)
    {
        if (node is JsonObject complex)
        {
            return ReadComplex(complex, path, depth + 1, inProperty);
        }

        if (DtdlSyntax.AsString(node) is not { } name)
        {
            throw DtdlErrors.At(path, node is null ? "is required" : "must be a schema name, a schema DTMI or a schema object");
        }

        if (DtdlSyntax.IsPrimitive(name, _version))
        {
            return new DtdlPrimitive(name);
        }

        if (DtdlSyntax.IsV3OnlyPrimitive(name))
        {
            throw DtdlErrors.At(path, $"'{name}' is a DTDL v3 schema; this interface's @context is DTDL v2");
        }

        if (!_named.TryGetValue(name, out var entry))
        {
            throw DtdlErrors.At(path, name.StartsWith("dtmi:", StringComparison.Ordinal)
                ? $"'{name}' is not defined in this interface's schemas"
                : $"'{name}' is not a DTDL v{_version} schema");
        }

        if (!_reading.Add(name))
        {
            throw DtdlErrors.At(path, $"schema '{name}' contains itself");
        }

        var schema = ReadComplex(entry.Node, entry.Path, depth + 1, inProperty);
        _reading.Remove(name);
        return schema;
    }

    private DtdlSchema ReadComplex(JsonObject node, string path, int depth, bool inProperty)
    {
        if (depth > MaxDepth)
        {
            throw DtdlErrors.At(path, $"complex schemas nest more than {MaxDepth} deep, the DTDL v{_version} limit");
        }

        var typePath = DtdlSyntax.Member(path, "@type");
        var kind = DtdlSyntax.ReadTypes(node["@type"], typePath).FirstOrDefault(t => t is "Object" or "Map" or "Enum" or "Array")
            ?? throw DtdlErrors.At(typePath, "a schema object must be an Object, Map, Enum or Array");
        return kind switch
        {
            "Object" => ReadObject(node, path, depth, inProperty),
            "Map" => ReadMap(node, path, depth, inProperty),
            "Enum" => ReadEnum(node, path),
            _ => ReadArray(node, path, depth, inProperty),
        };
    }

    private DtdlObject ReadObject(JsonObject node, string path, int depth, bool inProperty)
    {
        var at = DtdlSyntax.Member(path, "fields");
        if (node["fields"] is not JsonArray fields)
        {
            throw DtdlErrors.At(at, node["fields"] is null ? "is required" : "must be an array");
        }

        var read = new List<(string Name, DtdlSchema Schema)>(fields.Count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < fields.Count; i++)
        {
            var fieldPath = DtdlSyntax.Item(at, i);
            if (fields[i] is not JsonObject field)
            {
                throw DtdlErrors.At(fieldPath, "must be an object with a name and a schema");
            }

            var name = DtdlSyntax.ReadName(field, fieldPath, _version);
            if (!names.Add(name))
            {
                throw DtdlErrors.At(DtdlSyntax.Member(fieldPath, "name"), $"the object already has a field '{name}'");
            }

            read.Add((name, Read(field["schema"], DtdlSyntax.Member(fieldPath, "schema"), depth, inProperty)));
        }

        return new DtdlObject(read);
    }

    private DtdlMap ReadMap(JsonObject node, string path, int depth, bool inProperty)
    {
        var keyPath = DtdlSyntax.Member(path, "mapKey");
        if (node["mapKey"] is not JsonObject key)
        {
            throw DtdlErrors.At(keyPath, "is required: an object with a name and the schema \"string\"");
        }

        DtdlSyntax.ReadName(key, keyPath, _version);
        if (DtdlSyntax.AsString(key["schema"]) != "string")
        {
            throw DtdlErrors.At(DtdlSyntax.Member(keyPath, "schema"), "a map key's schema must be \"string\"");
        }

        var valuePath = DtdlSyntax.Member(path, "mapValue");
        if (node["mapValue"] is not JsonObject value)
        {
            throw DtdlErrors.At(valuePath, "is required: an object with a name and a schema");
        }

        DtdlSyntax.ReadName(value, valuePath, _version);
        return new DtdlMap(Read(value["schema"], DtdlSyntax.Member(valuePath, "schema"), depth, inProperty));
    }

    private DtdlEnum ReadEnum(JsonObject node, string path)
    {
        var valueSchema = DtdlSyntax.AsString(node["valueSchema"]);
        if (valueSchema is not ("integer" or "string"))
        {
            throw DtdlErrors.At(DtdlSyntax.Member(path, "valueSchema"), "must be \"integer\" or \"string\"");
        }

        var at = DtdlSyntax.Member(path, "enumValues");
        if (node["enumValues"] is not JsonArray entries)
        {
            throw DtdlErrors.At(at, node["enumValues"] is null ? "is required" : "must be an array");
        }

        var values = new List<(string Name, JsonNode Value)>(entries.Count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            var entryPath = DtdlSyntax.Item(at, i);
            if (entries[i] is not JsonObject entry)
            {
                throw DtdlErrors.At(entryPath, "must be an object with a name and an enumValue");
            }

            var name = DtdlSyntax.ReadName(entry, entryPath, _version);
            if (!names.Add(name))
            {
                throw DtdlErrors.At(DtdlSyntax.Member(entryPath, "name"), $"the enum already has a value named '{name}'");
            }

            var valuePath = DtdlSyntax.Member(entryPath, "enumValue");
            var raw = entry["enumValue"];
            JsonNode enumValue;
            string text;
            if (valueSchema == "integer")
            {
                if (raw is not JsonValue number || number.GetValueKind() != JsonValueKind.Number || !number.TryGetValue<int>(out var integer))
                {
                    throw DtdlErrors.At(valuePath, raw is null ? "is required" : "must be an integer, as the enum's valueSchema is integer");
                }

                // A fresh node: the one in the request belongs to its tree and cannot be shared.
                enumValue = JsonValue.Create(integer);
                text = integer.ToString(CultureInfo.InvariantCulture);
            }
            else
            {
                text = DtdlSyntax.AsString(raw)
                    ?? throw DtdlErrors.At(valuePath, raw is null ? "is required" : "must be a string, as the enum's valueSchema is string");
                enumValue = JsonValue.Create(text)!;
            }

            if (!seen.Add(text))
            {
                throw DtdlErrors.At(valuePath, $"the enum already has the value {text}");
            }

            values.Add((name, enumValue));
        }

        return new DtdlEnum(valueSchema, values);
    }

    private DtdlArray ReadArray(JsonObject node, string path, int depth, bool inProperty)
    {
        if (inProperty && _version < 3)
        {
            throw DtdlErrors.At(path, "DTDL v2 does not allow Array schemas in a Property (only in Telemetry and Commands); use DTDL v3");
        }

        return new DtdlArray(Read(node["elementSchema"], DtdlSyntax.Member(path, "elementSchema"), depth, inProperty));
    }
}
