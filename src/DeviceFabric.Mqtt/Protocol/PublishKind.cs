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
