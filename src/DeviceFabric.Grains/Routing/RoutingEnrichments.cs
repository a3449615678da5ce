using System.Text.Json.Nodes;
using DeviceFabric.Query;
using DeviceFabric.Telemetry;

namespace DeviceFabric.Routing;

/// <summary>Adds an endpoint's enrichments to a message as application properties: static values, the hub's name, or twin paths.</summary>
internal static class RoutingEnrichments
{
    public static TelemetryMessage Apply(TelemetryMessage message, RoutingSettings settings, string endpoint, string hub, JsonObject? twin)
    {
        Dictionary<string, string>? properties = null;
        foreach (var enrichment in settings.Enrichments)
        {
            if (!enrichment.EndpointNames.Contains(endpoint))
            {
                continue;
            }

            var value = enrichment.Value switch
            {
                "$iothubname" => hub,
                ['$', 't', 'w', 'i', 'n', '.', ..] => TwinValue(twin, enrichment.Value),
                var literal => literal,
            };
            if (value is not null)
            {
                properties ??= new Dictionary<string, string>(message.Properties, StringComparer.Ordinal);
                properties[enrichment.Key] = value;
            }
        }

        return properties is null ? message : message with { Properties = properties };
    }

    /// <summary>A twin path's value as text (JSON for objects); an undefined path adds nothing, as IoT Hub does.</summary>
    private static string? TwinValue(JsonObject? twin, string path)
    {
        if (twin is null)
        {
            return null;
        }

        var value = QueryValues.Resolve(new JsonObject { ["$twin"] = twin.DeepClone() }, path.Split('.'));
        return value switch
        {
            JsonValue text when text.TryGetValue<string>(out var s) => s,
            JsonNode node => node.ToJsonString(),
            _ => null,
        };
    }
}
