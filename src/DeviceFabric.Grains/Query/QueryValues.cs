using System.Text.Json;
using System.Text.Json.Nodes;

namespace DeviceFabric.Query;

/// <summary>Path resolution and comparison rules: missing is undefined (never equal to anything), only primitives compare.</summary>
internal static class QueryValues
{
    /// <summary>The value of a path that is not in the document.</summary>
    public sealed class Undefined
    {
        public static readonly Undefined Value = new();

        private Undefined()
        {
        }
    }

    public static object? Resolve(JsonObject document, IReadOnlyList<string> path)
    {
        JsonNode? current = document;
        foreach (var segment in path.Skip(CollectionPrefix(document, path)))
        {
            if (current is not JsonObject o || !TryGetProperty(o, segment, out current))
            {
                return Undefined.Value;
            }
        }

        return current;
    }

    /// <summary>
    /// How many leading segments name the collection rather than a property: IoT Hub writes job-row paths as
    /// <c>devices.jobs.jobId</c>, and the row document holds <c>jobId</c> at its root.
    /// </summary>
    private static int CollectionPrefix(JsonObject document, IReadOnlyList<string> path)
    {
        if (path.Count < 2 || !string.Equals(path[0], "devices", StringComparison.OrdinalIgnoreCase) || document.ContainsKey(path[0]))
        {
            return 0;
        }

        return path.Count > 2 && path[1] is var c && (string.Equals(c, "jobs", StringComparison.OrdinalIgnoreCase)
            || string.Equals(c, "modules", StringComparison.OrdinalIgnoreCase)) && !document.ContainsKey(c) ? 2 : 1;
    }

    /// <summary>-1, 0 or 1 when both are primitives of the same kind; null otherwise (the comparison is false).</summary>
    public static int? Compare(object? left, object? right)
    {
        if (left is Undefined || right is Undefined)
        {
            return null;
        }

        var (l, r) = (Kind(left), Kind(right));
        return (l, r) switch
        {
            (JsonValueKind.Null, JsonValueKind.Null) => 0,
            (JsonValueKind.Number, JsonValueKind.Number) => Number((JsonValue)left!).CompareTo(Number((JsonValue)right!)),
            (JsonValueKind.String, JsonValueKind.String) => Math.Sign(string.CompareOrdinal(Text(left), Text(right))),
            (JsonValueKind.True or JsonValueKind.False, JsonValueKind.True or JsonValueKind.False) => l == r ? 0 : l == JsonValueKind.True ? 1 : -1,
            _ => null,
        };
    }

    /// <summary>A number however the node holds it (parsed JSON, or a long or int set in code).</summary>
    private static double Number(JsonValue value) =>
        value.TryGetValue<double>(out var d) ? d
        : value.TryGetValue<long>(out var l) ? l
        : value.TryGetValue<int>(out var i) ? i
        : value.TryGetValue<decimal>(out var m) ? (double)m
        : double.NaN;

    public static JsonValueKind Kind(object? value) => value switch
    {
        null => JsonValueKind.Null,
        JsonValue v => v.GetValueKind(),
        JsonObject => JsonValueKind.Object,
        JsonArray => JsonValueKind.Array,
        _ => JsonValueKind.Undefined,
    };

    public static string? Text(object? value) => Kind(value) == JsonValueKind.String ? ((JsonNode)value!).GetValue<string>() : null;

    /// <summary>Twin property names are case-sensitive; IoT Hub's root names (deviceId, status...) are matched without regard to case.</summary>
    private static bool TryGetProperty(JsonObject o, string name, out JsonNode? value)
    {
        if (o.TryGetPropertyValue(name, out value))
        {
            return true;
        }

        if (o.Parent is null)
        {
            foreach (var (key, child) in o)
            {
                if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
                {
                    value = child;
                    return true;
                }
            }
        }

        return false;
    }
}
