using System.Globalization;
using System.Text.Json.Nodes;

namespace DeviceFabric.DigitalTwins;

/// <summary>
/// Azure Digital Twins' per-property metadata: each property has its <c>lastUpdateTime</c> (when its value last changed)
/// and, when the writer gave one, its <c>sourceTime</c>; the twin and each component have <c>$lastUpdateTime</c>.
/// </summary>
internal static class DigitalTwinMetadata
{
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);

    /// <summary>
    /// The metadata of <paramref name="contents"/> after a write: a property keeps its times while its value is the same,
    /// a changed one gets <paramref name="now"/>, a given source time is kept; components are done the same way inside.
    /// </summary>
    public static JsonObject Next(JsonObject? before, JsonObject? oldMetadata, JsonObject contents, JsonObject? given, DateTimeOffset now, IReadOnlySet<string> components)
    {
        var metadata = new JsonObject { ["$lastUpdateTime"] = Time(now) };
        foreach (var (name, value) in contents)
        {
            if (name.StartsWith('$'))
            {
                continue;
            }

            if (components.Contains(name) && value is JsonObject component)
            {
                var previous = before?[name] as JsonObject;
                component["$metadata"] = Next(previous, previous?["$metadata"] as JsonObject, component, component["$metadata"] as JsonObject, now, new HashSet<string>());
                continue;
            }

            var same = before is not null && before.TryGetPropertyValue(name, out var old) && JsonNode.DeepEquals(old, value);
            var entry = same && oldMetadata?[name] is JsonObject kept ? kept.DeepClone().AsObject() : new JsonObject { ["lastUpdateTime"] = Time(now) };
            if (given?[name]?["sourceTime"] is JsonValue sourceTime)
            {
                entry["sourceTime"] = sourceTime.DeepClone();
            }

            metadata[name] = entry;
        }

        return metadata;
    }
}
