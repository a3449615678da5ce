namespace DeviceFabric.Devices;

/// <summary>A message for a connected device (a desired-properties patch, later methods and cloud-to-device messages).</summary>
/// <param name="Topic">The MQTT topic, e.g. <c>$iothub/twin/PATCH/properties/desired/?$version=5</c>.</param>
/// <param name="Payload">The body.</param>
/// <param name="AtLeastOnce">QoS 1 when true, else QoS 0.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.DeviceMessage")]
public sealed record DeviceMessage(
    [property: Id(0)] string Topic,
    [property: Id(1)] byte[] Payload,
    [property: Id(2)] bool AtLeastOnce);
