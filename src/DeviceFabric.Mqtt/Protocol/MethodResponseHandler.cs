using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using DeviceFabric.Devices;
using DeviceFabric.Methods;
using DeviceFabric.Mqtt.Hosting;
using DeviceFabric.Mqtt.Sessions;
using Microsoft.Extensions.Logging;
using MQTTnet;

namespace DeviceFabric.Mqtt.Protocol;

/// <summary>
/// A device's answer to a direct method, <c>$iothub/methods/res/{status}/?$rid={rid}</c>, handed to its grain without
/// waiting (the grain matches it to the call). An empty body is JSON <c>null</c>; a body that is not JSON is passed on as
/// a JSON string; one over 128 KB, or a malformed topic, is dropped and logged.
/// </summary>
internal sealed partial class MethodResponseHandler(IGrainFactory grains, FrontEndLogFilter logFilter, ILogger<MethodResponseHandler> logger)
{
    public void Handle(DeviceConnection connection, MqttApplicationMessage message)
    {
        var match = ResponseTopic().Match(message.Topic);
        if (!match.Success || message.Payload.Length > DirectMethodRequest.MaxPayloadBytes)
        {
            if (logFilter.ShouldLog("dropped-method-response", connection.DeviceKey, out var suppressed))
            {
                LogDropped(logger, connection.Hub, connection.DeviceId, message.Topic.Length <= 200 ? message.Topic : message.Topic[..200], suppressed);
            }

            return;
        }

        var status = int.Parse(match.Groups["status"].Value, CultureInfo.InvariantCulture);
        var requestId = Uri.UnescapeDataString(match.Groups["rid"].Value);
        var body = message.Payload.IsEmpty ? "null" : Encoding.UTF8.GetString(message.Payload);
        if (!IsJson(body))
        {
            body = JsonSerializer.Serialize(body);
        }

        _ = grains.GetGrain<IDeviceMethodGrain>(DeviceKey.Create(connection.Hub, connection.DeviceId))
            .CompleteMethodAsync(connection.SessionId, requestId, status, body);
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^\$iothub/methods/res/(?<status>\d{1,9})/\?(.*&)?\$rid=(?<rid>[^&]+)(&.*)?$")]
    private static partial Regex ResponseTopic();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped a malformed or oversized method response of {Hub}/{DeviceId} on {Topic} ({Suppressed} more left out since the last line)")]
    private static partial void LogDropped(ILogger logger, string hub, string deviceId, string topic, long suppressed);
}
