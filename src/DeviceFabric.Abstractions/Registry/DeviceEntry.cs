using DeviceFabric.Devices;

namespace DeviceFabric.Registry;

/// <summary>A device's row in the registry's catalog: what listing and statistics need without waking the device.</summary>
/// <param name="DeviceId">The device id.</param>
/// <param name="Status">Whether the device may connect.</param>
/// <param name="ETag">The identity etag the row was taken from; a newer write replaces an older one.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.DeviceEntry")]
public sealed record DeviceEntry(
    [property: Id(0)] string DeviceId,
    [property: Id(1)] DeviceStatus Status,
    [property: Id(2)] string ETag);
