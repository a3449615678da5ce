using DeviceFabric.Devices;

namespace DeviceFabric.Twins;

/// <summary>A change to a twin's desired properties, for the device's live session (IoT Hub does not queue them).</summary>
/// <param name="Version">The desired properties' version after the change.</param>
/// <param name="PatchJson">The changed properties (removed ones as null) with <c>$version</c>, as the device applies them.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.DesiredPropertiesPatch")]
public sealed record DesiredPropertiesPatch(
    [property: Id(0)] long Version,
    [property: Id(1)] string PatchJson) : DeviceBoundMessage;
