using DeviceFabric.Devices;

namespace DeviceFabric.Registry;

/// <summary>A page of devices and the id to continue after, null on the last page.</summary>
/// <param name="Devices">The devices of the page, in ordinal order of their ids.</param>
/// <param name="ContinuationToken">Pass it back to read the next page; null when there is none.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.DevicePage")]
public sealed record DevicePage(
    [property: Id(0)] IReadOnlyList<DeviceIdentity> Devices,
    [property: Id(1)] string? ContinuationToken);
