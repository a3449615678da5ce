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

        var prefix = TelemetryPrefix(deviceId);
        if (topic.Length >= prefix.Length - 1 && topic.StartsWith(prefix.AsSpan(0, prefix.Length - 1), StringComparison.Ordinal))
        {
            if (topic.Length == prefix.Length - 1)
            {
                return PublishKind.Telemetry;
            }

            if (topic[prefix.Length - 1] == '/')
            {
                propertyBag = topic[prefix.Length..].TrimEnd('/');
                return propertyBag.Contains('/', StringComparison.Ordinal) ? PublishKind.Denied : PublishKind.Telemetry;
            }
        }

        return PublishKind.Denied;
    }

    /// <summary>Whether a device may subscribe to <paramref name="filter"/>: its cloud-to-device, twin and method topics only.</summary>
    public static bool IsAllowedSubscription(string filter, string deviceId) =>
        filter.StartsWith($"devices/{deviceId}/messages/devicebound/", StringComparison.Ordinal)
        || filter.StartsWith("$iothub/twin/res/", StringComparison.Ordinal)
        || filter.StartsWith("$iothub/twin/PATCH/properties/desired/", StringComparison.Ordinal)
        || filter.StartsWith("$iothub/methods/POST/", StringComparison.Ordinal);

    private static string TelemetryPrefix(string deviceId) => $"devices/{deviceId}/messages/events/";
}
