using System.Text.Json.Nodes;

namespace DeviceFabric.Portal.Hosting;

/// <summary>A device's message as the event endpoint streams it: when it was enqueued, its body, and the body as JSON if it is.</summary>
public sealed record TelemetryMessage(string EnqueuedTime, string Body, JsonNode? Json)
{
    private const string DeviceIdProperty = "iothub-connection-device-id";

    /// <summary>Reads one event's data; null when it is another device's (or not an event).</summary>
    public static TelemetryMessage? From(string data, string deviceId)
    {
        if (!Hosting.Json.TryParse(data, out var node, out _) || Hosting.Json.At(node, "systemProperties") is not JsonObject system
            || !system.TryGetPropertyValue(DeviceIdProperty, out var device) || device?.GetValue<string>() != deviceId)
        {
            return null;
        }

        // A body sent without a text content type comes as base64: most devices still send UTF-8 JSON in it.
        var body = Hosting.Json.At(node, "body")?.GetValue<string>() ?? Decoded(Hosting.Json.At(node, "bodyBase64")?.GetValue<string>());
        Hosting.Json.TryParse(body, out var json, out _);
        return new TelemetryMessage(Hosting.Json.Text(system, "x-opt-enqueued-time"), body, json);
    }

    private static string Decoded(string? base64)
    {
        try
        {
            return base64 is null ? string.Empty : new System.Text.UTF8Encoding(false, true).GetString(Convert.FromBase64String(base64));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return base64 ?? string.Empty;
        }
    }
}
