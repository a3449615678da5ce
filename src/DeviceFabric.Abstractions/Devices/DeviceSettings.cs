namespace DeviceFabric.Devices;

/// <summary>What a caller sets on a device when creating or updating it; everything else is the fabric's.</summary>
/// <param name="Status">Whether the device may connect.</param>
/// <param name="StatusReason">Free text up to 128 characters saying why the status was set.</param>
/// <param name="Authentication">Credentials; SAS keys left empty are generated.</param>
/// <param name="IsEdge">Whether the device is an IoT Edge device.</param>
/// <param name="ManagedBy">For a module: who manages it (IoT Hub's <c>managedBy</c>, e.g. <c>iotEdge</c>).</param>
[GenerateSerializer, Immutable, Alias("devicefabric.DeviceSettings")]
public sealed record DeviceSettings(
    [property: Id(0)] DeviceStatus Status = DeviceStatus.Enabled,
    [property: Id(1)] string? StatusReason = null,
    [property: Id(2)] DeviceAuthentication? Authentication = null,
    [property: Id(3)] bool IsEdge = false,
    [property: Id(4)] string? ManagedBy = null)
{
    /// <summary>The longest status reason accepted.</summary>
    public const int MaxStatusReasonLength = 128;
}
