using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using DeviceFabric.Devices;
using DeviceFabric.Json;
using DeviceFabric.Methods;
using DeviceFabric.Mqtt.Hosting;
using DeviceFabric.Mqtt.Sessions;
using Microsoft.Extensions.Logging;
using MQTTnet;

namespace DeviceFabric.Mqtt.Protocol;

/// <summary>
/// A device's answer to a direct method, <c>$iothub/methods/res/{status}/?$rid={rid}</c>, handed to its grain without
/// waiting (the grain matches it to the call). An empty body is JSON <c>null</c>; a body that is not JSON is passed on as
/// a JSON string; one over 128 KB or not UTF-8, or a malformed topic, is dropped and logged (once a minute per device).
/// </summary>
internal sealed partial class MethodResponseHandler(IGrainFactory grains, FrontEndLogFilter logFilter, ILogger<MethodResponseHandler> logger)
{
    public void Handle(DeviceConnection connection, MqttApplicationMessage message)
    {
        var match = ResponseTopic().Match(message.Topic);
        var payload = message.Payload.ToArray();
        if (!match.Success || payload.Length > DirectMethodRequest.MaxPayloadBytes || Body(payload) is not { } body)
        {
            if (logFilter.ShouldLog("dropped-method-response", connection.DeviceKey, out var suppressed))
            {
                LogDropped(logger, connection.Hub, connection.DeviceId, message.Topic.Length <= 200 ? message.Topic : message.Topic[..200], suppressed);
            }

            return;
        }

        var status = int.Parse(match.Groups["status"].Value, CultureInfo.InvariantCulture);
        var requestId = Uri.UnescapeDataString(match.Groups["rid"].Value);
        using var activity = MqttInstruments.Source.StartActivity("method response", System.Diagnostics.ActivityKind.Server);
        activity?.SetTag("devicefabric.hub", connection.Hub);
        activity?.SetTag("devicefabric.device", connection.DeviceId);
        activity?.SetTag("devicefabric.method.status", status);
        _ = grains.GetGrain<IDeviceMethodGrain>(DeviceKey.Create(connection.Hub, connection.DeviceId))
            .CompleteMethodAsync(connection.SessionId, requestId, status, body);
    }

    /// <summary>
    /// The answer's payload as JSON: empty is <c>null</c>, what the strict reader accepts is passed as it is, other text
    /// becomes a JSON string; bytes that are not UTF-8 have no JSON form (null: the answer is dropped).
    /// </summary>
    private static string? Body(byte[] payload)
    {
        if (payload.Length == 0)
        {
            return "null";
        }

        string text;
        try
        {
            text = StrictJson.Text(payload, "The method response");
        }
        catch (DeviceFabricException)
        {
            return null;
        }

        try
        {
            StrictJson.Validate(payload, "The method response");
            return text;
        }
        catch (DeviceFabricException)
        {
            return JsonSerializer.Serialize(text);
        }
    }

    [GeneratedRegex(@"^\$iothub/methods/res/(?<status>\d{1,9})/\?(.*&)?\$rid=(?<rid>[^&]+)(&.*)?$")]
    private static partial Regex ResponseTopic();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped a malformed or oversized method response of {Hub}/{DeviceId} on {Topic} ({Suppressed} more left out since the last line)")]
    private static partial void LogDropped(ILogger logger, string hub, string deviceId, string topic, long suppressed);
}
