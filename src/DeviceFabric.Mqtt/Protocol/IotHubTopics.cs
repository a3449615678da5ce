using System.Globalization;

namespace DeviceFabric.Mqtt.Protocol;

/// <summary>
/// IoT Hub's MQTT topics, both ways: what a device may publish and subscribe to (only its own), and the topics the fabric
/// sends on. The one home of the dialect's topic names.
/// </summary>
internal static class IotHubTopics
{
    public const string TwinPrefix = "$iothub/twin/";
    public const string TwinGetPrefix = "$iothub/twin/GET/";
    public const string TwinPatchReportedPrefix = "$iothub/twin/PATCH/properties/reported/";
    public const string MethodResponsePrefix = "$iothub/methods/res/";

    private const string DevicesPrefix = "devices/";
    private const string EventsSegment = "/messages/events";
    private const string CloudToDeviceSegment = "/messages/devicebound/";
    private const string TwinResponsePrefix = "$iothub/twin/res/";
    private const string DesiredPatchPrefix = "$iothub/twin/PATCH/properties/desired/";
    private const string MethodRequestPrefix = "$iothub/methods/POST/";

    /// <summary>A topic a methods subscription matches, to learn whether a reused session already holds one.</summary>
    public const string MethodsProbe = MethodRequestPrefix + "any/?$rid=0";

    /// <summary>
    /// What a publish is. <paramref name="topicPath"/> is what follows <c>devices/</c> in the sender's own topics: its
    /// device id, or <c>{deviceId}/modules/{moduleId}</c> for a module.
    /// </summary>
    public static PublishKind ClassifyPublish(string topic, string topicPath, out string propertyBag)
    {
        propertyBag = string.Empty;
        if (topic.StartsWith(TwinPrefix, StringComparison.Ordinal))
        {
            return PublishKind.Twin;
        }

        if (topic.StartsWith(MethodResponsePrefix, StringComparison.Ordinal))
        {
            return PublishKind.MethodResponse;
        }

        // devices/{topicPath}/messages/events[/{property_bag}[/]], compared in place: no string is built per message.
        var rest = topic.AsSpan();
        if (!rest.StartsWith(DevicesPrefix, StringComparison.Ordinal) || !rest[DevicesPrefix.Length..].StartsWith(topicPath, StringComparison.Ordinal))
        {
            return PublishKind.Denied;
        }

        rest = rest[(DevicesPrefix.Length + topicPath.Length)..];
        if (!rest.StartsWith(EventsSegment, StringComparison.Ordinal))
        {
            return PublishKind.Denied;
        }

        rest = rest[EventsSegment.Length..];
        if (rest.IsEmpty)
        {
            return PublishKind.Telemetry;
        }

        if (rest[0] == '/')
        {
            var bag = rest[1..].TrimEnd('/');
            if (bag.Contains('/'))
            {
                return PublishKind.Denied;
            }

            propertyBag = bag.IsEmpty ? string.Empty : bag.ToString();
            return PublishKind.Telemetry;
        }

        return PublishKind.Denied;
    }

    /// <summary>
    /// Whether a device may subscribe to <paramref name="filter"/>: its cloud-to-device, twin and method topics only. A
    /// module (<paramref name="isModule"/>) has no cloud-to-device queue, and its inputs are IoT Edge hub's, not IoT Hub's.
    /// </summary>
    public static bool IsAllowedSubscription(string filter, string deviceId, bool isModule = false) =>
        (!isModule && IsCloudToDevice(filter, deviceId))
        || filter.StartsWith(TwinResponsePrefix, StringComparison.Ordinal)
        || filter.StartsWith(DesiredPatchPrefix, StringComparison.Ordinal)
        || IsMethodRequest(filter);

    /// <summary>Whether a topic or filter is the device's cloud-to-device one.</summary>
    public static bool IsCloudToDevice(string topicOrFilter, string deviceId) =>
        topicOrFilter.StartsWith(DevicesPrefix, StringComparison.Ordinal)
        && topicOrFilter.AsSpan(DevicesPrefix.Length).StartsWith(deviceId, StringComparison.Ordinal)
        && topicOrFilter.AsSpan(DevicesPrefix.Length + deviceId.Length).StartsWith(CloudToDeviceSegment, StringComparison.Ordinal);

    /// <summary>Whether a filter subscribes to direct method requests.</summary>
    public static bool IsMethodRequest(string filter) => filter.StartsWith(MethodRequestPrefix, StringComparison.Ordinal);

    /// <summary><c>devices/{id}/messages/devicebound/</c>, which the property bag follows.</summary>
    public static string CloudToDevicePrefix(string deviceId) => string.Concat(DevicesPrefix, deviceId, CloudToDeviceSegment);

    /// <summary>A topic the device's cloud-to-device subscription matches.</summary>
    public static string CloudToDeviceProbe(string deviceId) => CloudToDevicePrefix(deviceId) + "any";

    /// <summary><c>$iothub/twin/PATCH/properties/desired/?$version={version}</c>.</summary>
    public static string DesiredPatch(long version) =>
        string.Create(CultureInfo.InvariantCulture, $"{DesiredPatchPrefix}?$version={version}");

    /// <summary><c>$iothub/methods/POST/{method}/?$rid={requestId}</c>.</summary>
    public static string MethodRequest(string methodName, string requestId) => $"{MethodRequestPrefix}{methodName}/?$rid={requestId}";

    /// <summary><c>$iothub/twin/res/{status}/?$rid={rid}[&amp;$version={version}]</c>, the request id URL-encoded.</summary>
    public static string TwinResponse(int status, string requestId, long? version) => version is { } v
        ? string.Create(CultureInfo.InvariantCulture, $"{TwinResponsePrefix}{status}/?$rid={Uri.EscapeDataString(requestId)}&$version={v}")
        : string.Create(CultureInfo.InvariantCulture, $"{TwinResponsePrefix}{status}/?$rid={Uri.EscapeDataString(requestId)}");
}
