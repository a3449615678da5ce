namespace DeviceFabric.Mqtt.Protocol;

/// <summary>What a device may publish to.</summary>
internal enum PublishKind
{
    /// <summary>Not one of the device's own topics: IoT Hub closes the connection.</summary>
    Denied,

    /// <summary><c>devices/{id}/messages/events/{property_bag}</c>.</summary>
    Telemetry,

    /// <summary><c>$iothub/twin/...</c>: the device's own twin requests.</summary>
    Twin,

    /// <summary><c>$iothub/methods/res/{status}/?$rid=</c>: the device's answer to a direct method.</summary>
    MethodResponse,
}

/// <summary>IoT Hub's MQTT topics as one device may use them; a device touches only its own.</summary>
internal static class IotHubTopics
{
    private const string DevicesPrefix = "devices/";
    private const string EventsSegment = "/messages/events";

    public static PublishKind ClassifyPublish(string topic, string deviceId, out string propertyBag)
    {
        propertyBag = string.Empty;
        if (topic.StartsWith("$iothub/twin/", StringComparison.Ordinal))
        {
            return PublishKind.Twin;
        }

        if (topic.StartsWith("$iothub/methods/res/", StringComparison.Ordinal))
        {
            return PublishKind.MethodResponse;
        }

        // devices/{deviceId}/messages/events[/{property_bag}[/]], compared in place: no string is built per message.
        var rest = topic.AsSpan();
        if (!rest.StartsWith(DevicesPrefix, StringComparison.Ordinal) || !rest[DevicesPrefix.Length..].StartsWith(deviceId, StringComparison.Ordinal))
        {
            return PublishKind.Denied;
        }

        rest = rest[(DevicesPrefix.Length + deviceId.Length)..];
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

    /// <summary>Whether a device may subscribe to <paramref name="filter"/>: its cloud-to-device, twin and method topics only.</summary>
    public static bool IsAllowedSubscription(string filter, string deviceId) =>
        filter.StartsWith($"devices/{deviceId}/messages/devicebound/", StringComparison.Ordinal)
        || filter.StartsWith("$iothub/twin/res/", StringComparison.Ordinal)
        || filter.StartsWith("$iothub/twin/PATCH/properties/desired/", StringComparison.Ordinal)
        || filter.StartsWith("$iothub/methods/POST/", StringComparison.Ordinal);
}
