namespace DeviceFabric.Devices;

/// <summary>What a caller sets on a device when creating or updating it; everything else is the fabric's.</summary>
/// <param name="Status">Whether the device may connect.</param>
/// <param name="StatusReason">Free text up to 128 characters saying why the status was set.</param>
/// <param name="Authentication">Credentials; SAS keys left empty are generated.</param>
/// <param name="IsEdge">Whether the device is an IoT Edge device.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.DeviceSettings")]
public sealed record DeviceSettings(
    [property: Id(0)] DeviceStatus Status = DeviceStatus.Enabled,
    [property: Id(1)] string? StatusReason = null,
    [property: Id(2)] DeviceAuthentication? Authentication = null,
    [property: Id(3)] bool IsEdge = false)
{
    /// <summary>The longest status reason accepted.</summary>
    public const int MaxStatusReasonLength = 128;
}
