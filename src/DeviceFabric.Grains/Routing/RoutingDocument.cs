using System.Text.Json;
using System.Text.Json.Nodes;
using DeviceFabric.Telemetry;

namespace DeviceFabric.Routing;

/// <summary>
/// What a route's condition sees of a message, as IoT Hub's routing query does: application properties by name, system
/// properties as <c>$name</c> (and IoT Hub's camel-case aliases such as <c>$contentType</c>, <c>$connectionDeviceId</c>),
/// <c>$body</c> for a UTF-8 JSON body, and <c>$twin</c> (tags and properties) when a route asks for it.
/// </summary>
internal static class RoutingDocument
{
    /// <summary>The largest body parsed for <c>$body</c> conditions; bigger ones are seen without a body.</summary>
    public const int MaxParsedBody = 64 * 1024;

    private static readonly Dictionary<string, string> s_aliases = new(StringComparer.Ordinal)
    {
        ["content-type"] = "$contentType",
        ["content-encoding"] = "$contentEncoding",
        ["message-id"] = "$messageId",
        ["correlation-id"] = "$correlationId",
        ["user-id"] = "$userId",
        ["iothub-connection-device-id"] = "$connectionDeviceId",
        ["iothub-connection-module-id"] = "$connectionModuleId",
        ["iothub-message-source"] = "$messageSource",
    };

    private static readonly JsonDocumentOptions s_parse = new() { MaxDepth = 32 };

    public static JsonObject Compose(TelemetryMessage message, JsonObject? twin)
    {
        var document = new JsonObject();
        foreach (var (name, value) in message.Properties)
        {
            document[name] = value;
        }

        foreach (var (name, value) in message.SystemProperties)
        {
            document["$" + name] = value;
            if (s_aliases.TryGetValue(name, out var alias))
            {
                document[alias] = value;
            }
        }

        if (IsJson(message) && message.Body.Length <= MaxParsedBody)
        {
            try
            {
                document["$body"] = JsonNode.Parse(message.Body, documentOptions: s_parse);
            }
            catch (JsonException)
            {
                // Not JSON after all: $body conditions are simply undefined for it.
            }
        }

        if (twin is not null)
        {
            document["$twin"] = twin.DeepClone();
        }

        return document;
    }

    /// <summary>Whether a condition or enrichment needs the device's twin.</summary>
    public static bool NeedsTwin(string? text) => text?.Contains("$twin", StringComparison.Ordinal) == true;

    /// <summary>IoT Hub routes on the body only when the message says it is UTF-8 JSON.</summary>
    private static bool IsJson(TelemetryMessage message) =>
        message.SystemProperties.TryGetValue("content-type", out var type)
        && type.Split(';', 2)[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase)
        && (!message.SystemProperties.TryGetValue("content-encoding", out var encoding) || encoding.Equals("utf-8", StringComparison.OrdinalIgnoreCase));
}
