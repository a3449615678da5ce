using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using DeviceFabric.Devices;
using DeviceFabric.Mqtt.Hosting;
using DeviceFabric.Mqtt.Sessions;
using DeviceFabric.Twins;
using Microsoft.Extensions.Logging;
using MQTTnet;

namespace DeviceFabric.Mqtt.Protocol;

/// <summary>
/// The device's twin requests: <c>$iothub/twin/GET/?$rid=</c> and <c>$iothub/twin/PATCH/properties/reported/?$rid=</c>,
/// answered on <c>$iothub/twin/res/{status}/?$rid=</c> with IoT Hub's bodies: the properties for a GET, nothing (and the
/// new <c>$version</c>) for a PATCH, <c>{"errorCode":..,"message":..}</c> for every error, which the Node SDK looks for.
/// Beyond IoT Hub, a GET may add <c>&amp;$since={desired version}</c> to receive only what changed since.
/// </summary>
internal sealed partial class TwinRequestHandler(IGrainFactory grains, SessionSender sender, FrontEndLogFilter logFilter, ILogger<TwinRequestHandler> logger)
{
    /// <summary>Largest patch accepted before parsing; the section limits are checked after the merge.</summary>
    private const int MaxPatchBytes = 64 * 1024;

    /// <summary>Serves a twin request; false when the topic is not one IoT Hub defines.</summary>
    public async Task<bool> HandleAsync(DeviceConnection connection, MqttApplicationMessage message)
    {
        var topic = message.Topic;
        var isGet = topic.StartsWith(IotHubTopics.TwinGetPrefix, StringComparison.Ordinal);
        if (!isGet && !topic.StartsWith(IotHubTopics.TwinPatchReportedPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var query = Query(topic[(isGet ? IotHubTopics.TwinGetPrefix : IotHubTopics.TwinPatchReportedPrefix).Length..]);
        if (query is null || !query.TryGetValue("$rid", out var rid) || rid.Length == 0)
        {
            return false;
        }

        var twin = grains.GetGrain<ITwinSessionGrain>(DeviceKey.Create(connection.Hub, connection.DeviceId));
        using var activity = MqttInstruments.Source.StartActivity(isGet ? "twin get" : "twin patch reported", System.Diagnostics.ActivityKind.Server);
        activity?.SetTag("devicefabric.hub", connection.Hub);
        activity?.SetTag("devicefabric.device", connection.DeviceId);
        try
        {
            if (isGet)
            {
                long? since = query.TryGetValue("$since", out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
                var properties = await twin.GetPropertiesAsync(since);
                await RespondAsync(connection, 200, rid, null, Encoding.UTF8.GetBytes(properties));
            }
            else
            {
                if (message.Payload.Length > MaxPatchBytes)
                {
                    throw new DeviceFabricException(DeviceFabricErrorCode.MessageTooLarge, $"The reported patch is larger than {MaxPatchBytes} bytes.");
                }

                var version = await twin.PatchReportedAsync(message.Payload.ToArray());
                await RespondAsync(connection, 204, rid, version, []);
            }
        }
        catch (DeviceFabricException ex)
        {
            await RespondErrorAsync(connection, rid, ex.Code, ex.Message);
        }
        catch (Exception ex)
        {
            if (logFilter.ShouldLog("twin-failed", connection.DeviceKey, out var suppressed))
            {
                LogFailed(logger, ex, connection.Hub, connection.DeviceId, suppressed);
            }

            await RespondErrorAsync(connection, rid, DeviceFabricErrorCode.ServerError, "The twin request failed.");
        }

        return true;
    }

    private Task RespondErrorAsync(DeviceConnection connection, string rid, DeviceFabricErrorCode code, string text)
    {
        var body = new JsonObject { ["errorCode"] = (int)code, ["message"] = text }.ToJsonString();
        return RespondAsync(connection, code.HttpStatus(), rid, null, Encoding.UTF8.GetBytes(body));
    }

    private Task RespondAsync(DeviceConnection connection, int status, string rid, long? version, byte[] body) =>
        sender.SendAsync(connection, IotHubTopics.TwinResponse(status, rid, version), body, atLeastOnce: false);

    /// <summary>Parses <c>?k=v&amp;k2=v2</c>; null when the part after the operation is not a query.</summary>
    private static Dictionary<string, string>? Query(string rest)
    {
        if (!rest.StartsWith('?'))
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in rest[1..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            values[Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals])] = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..]);
        }

        return values;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Twin request of {Hub}/{DeviceId} failed ({Suppressed} more left out since the last line)")]
    private static partial void LogFailed(ILogger logger, Exception exception, string hub, string deviceId, long suppressed);
}
