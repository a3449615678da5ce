using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace DeviceFabric.DigitalTwins;

/// <summary>The lexical rules of DTDL v2 and v3 (identifiers, names, contexts, language maps) the readers share.</summary>
internal static partial class DtdlSyntax
{
    /// <summary>DTDL v3 allows 2048 characters, but ADT caps every DTMI at 128 whatever the version.</summary>
    public const int MaxDtmiLength = 128;

    public const string ContextV2 = "dtmi:dtdl:context;2";
    public const string ContextV3 = "dtmi:dtdl:context;3";

    private static readonly HashSet<string> s_primitives = new(StringComparer.Ordinal)
    {
        "boolean", "date", "dateTime", "double", "duration", "float", "integer", "long", "string", "time",
        "point", "lineString", "polygon", "multiPoint", "multiLineString", "multiPolygon",
    };

    private static readonly HashSet<string> s_v3Primitives = new(StringComparer.Ordinal)
    {
        "byte", "bytes", "decimal", "short", "uuid", "unsignedByte", "unsignedShort", "unsignedInteger", "unsignedLong",
    };

    /// <summary>The element types an interface's contents may hold.</summary>
    public static IReadOnlyList<string> ContentTypes { get; } = ["Property", "Telemetry", "Command", "Relationship", "Component"];

    public static bool IsPrimitive(string kind, int version) =>
        s_primitives.Contains(kind) || (version >= 3 && s_v3Primitives.Contains(kind));

    public static bool IsV3OnlyPrimitive(string kind) => s_v3Primitives.Contains(kind);

    /// <summary>A DTMI as <paramref name="version"/> spells it: only v3 knows minor versions.</summary>
    public static bool IsDtmi(string value, int version) =>
        value.Length <= MaxDtmiLength && (version >= 3 ? DtmiV3() : DtmiV2()).IsMatch(value);

    public static bool IsName(string value, int version) =>
        value.Length <= (version >= 3 ? 512 : 64) && NamePattern().IsMatch(value);

    public static string Member(string path, string key) => $"{path}.{key}";

    public static string Item(string path, int index) => $"{path}[{index}]";

    /// <summary>The text of a JSON string, or null for anything else.</summary>
    public static string? AsString(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>The DTDL version an interface's <c>@context</c> names: a string, or an array whose first entry is it.</summary>
    public static int ReadContext(JsonObject model, string path, out bool hasExtensions)
    {
        var at = Member(path, "@context");
        var node = model["@context"];
        var first = node;
        hasExtensions = false;
        if (node is JsonArray array)
        {
            first = array.Count > 0 ? array[0] : null;
            for (var i = 1; i < array.Count; i++)
            {
                // Extension contexts (quantitative types, historization...) only widen what is allowed; their rules are not enforced.
                if (AsString(array[i]) is null)
                {
                    throw DtdlErrors.At(Item(at, i), "an extension context must be a DTMI string");
                }
            }

            hasExtensions = array.Count > 1;
        }

        return AsString(first) switch
        {
            ContextV2 => 2,
            ContextV3 => 3,
            _ when node is null => throw DtdlErrors.At(at, $"is required: \"{ContextV2}\" or \"{ContextV3}\""),
            _ => throw DtdlErrors.At(at, $"must be \"{ContextV2}\" or \"{ContextV3}\", or an array that starts with one of them"),
        };
    }

    /// <summary>The types of an <c>@type</c> member: one string or an array of them (an element type and co-types).</summary>
    public static IReadOnlyList<string> ReadTypes(JsonNode? node, string path)
    {
        if (AsString(node) is { } single)
        {
            return [single];
        }

        if (node is JsonArray { Count: > 0 } array)
        {
            var types = new List<string>(array.Count);
            for (var i = 0; i < array.Count; i++)
            {
                types.Add(AsString(array[i]) ?? throw DtdlErrors.At(Item(path, i), "must be a string"));
            }

            return types;
        }

        throw DtdlErrors.At(path, node is null ? "is required" : "must be a string or a non-empty array of strings");
    }

    /// <summary>A required string member.</summary>
    public static string ReadString(JsonObject owner, string key, string path)
    {
        var node = owner[key];
        return AsString(node) ?? throw DtdlErrors.At(Member(path, key), node is null ? "is required" : "must be a string");
    }

    /// <summary>A required <c>name</c> member that follows the version's naming rule.</summary>
    public static string ReadName(JsonObject owner, string path, int version)
    {
        var name = ReadString(owner, "name", path);
        if (!IsName(name, version))
        {
            throw DtdlErrors.At(Member(path, "name"),
                $"'{name}' is not a DTDL name: a letter, then letters, digits or underscores, not ending with an underscore, at most {(version >= 3 ? 512 : 64)} characters");
        }

        return name;
    }

    public static bool? ReadBool(JsonObject owner, string key, string path)
    {
        var node = owner[key];
        if (node is null)
        {
            return null;
        }

        return node.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw DtdlErrors.At(Member(path, key), "must be true or false"),
        };
    }

    public static int? ReadInt(JsonObject owner, string key, string path)
    {
        var node = owner[key];
        if (node is null)
        {
            return null;
        }

        return node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var number)
            ? number
            : throw DtdlErrors.At(Member(path, key), "must be an integer");
    }

    /// <summary>A displayName or description: a plain string is English, else a map of language to text.</summary>
    public static IReadOnlyDictionary<string, string> ReadLocalized(JsonObject owner, string key, string path)
    {
        var node = owner[key];
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is null)
        {
            return map;
        }

        if (AsString(node) is { } text)
        {
            map["en"] = text;
            return map;
        }

        if (node is not JsonObject languages)
        {
            throw DtdlErrors.At(Member(path, key), "must be a string or an object of language codes to strings");
        }

        foreach (var (language, value) in languages)
        {
            map[language] = AsString(value) ?? throw DtdlErrors.At(Member(Member(path, key), language), "must be a string");
        }

        return map;
    }

    [GeneratedRegex(@"^dtmi:[A-Za-z](?:[A-Za-z0-9_]*[A-Za-z0-9])?(?::[A-Za-z](?:[A-Za-z0-9_]*[A-Za-z0-9])?)*;[1-9][0-9]{0,8}\z", RegexOptions.CultureInvariant)]
    private static partial Regex DtmiV2();

    [GeneratedRegex(@"^dtmi:[A-Za-z](?:[A-Za-z0-9_]*[A-Za-z0-9])?(?::[A-Za-z](?:[A-Za-z0-9_]*[A-Za-z0-9])?)*;[1-9][0-9]{0,8}(?:\.[1-9][0-9]{0,5})?\z", RegexOptions.CultureInvariant)]
    private static partial Regex DtmiV3();

    [GeneratedRegex(@"^[A-Za-z](?:[A-Za-z0-9_]*[A-Za-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
