using System.Globalization;
using System.Text;
using DeviceFabric.Telemetry;

namespace DeviceFabric.Routing;

/// <summary>
/// The routing source of a stored message (its <c>iothub-message-source</c>), and non-telemetry events as the messages
/// IoT Hub routes for them: its message sources, schemas, <c>opType</c>s and application properties.
/// </summary>
internal static class RoutingSources
{
    private static readonly Dictionary<string, RoutingSource> s_sources = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Telemetry"] = RoutingSource.DeviceMessages,
        ["deviceLifecycleEvents"] = RoutingSource.DeviceLifecycleEvents,
        ["deviceConnectionStateEvents"] = RoutingSource.DeviceConnectionStateEvents,
        ["twinChangeEvents"] = RoutingSource.TwinChangeEvents,
        ["jobLifecycleEvents"] = RoutingSource.DeviceJobLifecycleEvents,
    };

    public static RoutingSource Of(TelemetryMessage message) =>
        message.SystemProperties.TryGetValue("iothub-message-source", out var name) && s_sources.TryGetValue(name, out var source)
            ? source
            : RoutingSource.DeviceMessages;

    /// <summary>An event of <paramref name="source"/> as IoT Hub routes it: schema and operation in its properties, a JSON body.</summary>
    public static TelemetryMessage Event(
        RoutingSource source, string hub, string deviceId, string? moduleId, string opType, DateTimeOffset time, string body)
    {
        var (name, schema) = source switch
        {
            RoutingSource.DeviceLifecycleEvents => ("deviceLifecycleEvents", "deviceLifecycleNotification"),
            RoutingSource.DeviceConnectionStateEvents => ("deviceConnectionStateEvents", "deviceConnectionStateNotification"),
            RoutingSource.TwinChangeEvents => ("twinChangeEvents", "twinChangeNotification"),
            RoutingSource.DeviceJobLifecycleEvents => ("jobLifecycleEvents", "jobLifecycleNotification"),
            _ => throw new ArgumentOutOfRangeException(nameof(source)),
        };
        var stamp = time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        var system = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["iothub-message-source"] = name,
            ["iothub-connection-device-id"] = deviceId,
            ["iothub-enqueuedtime"] = stamp,
            ["content-type"] = "application/json",
            ["content-encoding"] = "utf-8",
            ["user-id"] = hub,
        };
        var properties = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["hubName"] = hub,
            ["deviceId"] = deviceId,
            ["opType"] = opType,
            ["operationTimestamp"] = stamp,
            ["iothub-message-schema"] = schema,
        };
        if (moduleId is not null)
        {
            system["iothub-connection-module-id"] = moduleId;
            properties["moduleId"] = moduleId;
        }

        return new TelemetryMessage(deviceId, time, system, properties, Encoding.UTF8.GetBytes(body), moduleId);
    }
}
