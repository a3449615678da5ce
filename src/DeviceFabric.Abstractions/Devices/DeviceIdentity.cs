namespace DeviceFabric.Devices;

/// <summary>
/// A device or module as the registry describes it: IoT Hub's device identity. A module's <see cref="DeviceId"/> is its
/// identity id, <c>{deviceId}/{moduleId}</c> (see <see cref="Modules.ModuleIds"/>).
/// </summary>
/// <param name="DeviceId">The device id, unique within its hub.</param>
/// <param name="GenerationId">Distinguishes this device from an earlier one of the same id that was deleted.</param>
/// <param name="ETag">Changes on every update; callers pass it back in <c>If-Match</c>.</param>
/// <param name="Status">Whether the device may connect.</param>
/// <param name="StatusReason">Why the status was set, if said.</param>
/// <param name="StatusUpdatedTime">When the status last changed.</param>
/// <param name="ConnectionState">Whether a live session is attached.</param>
/// <param name="ConnectionStateUpdatedTime">When the connection state last changed.</param>
/// <param name="LastActivityTime">When the device was last heard from.</param>
/// <param name="CloudToDeviceMessageCount">Messages waiting in the device's cloud-to-device queue.</param>
/// <param name="Authentication">The device's credentials.</param>
/// <param name="IsEdge">Whether the device is an IoT Edge device.</param>
/// <param name="ModelId">The IoT Plug and Play model id the device announced when it last connected, if any.</param>
/// <param name="ManagedBy">For a module: who manages it.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.DeviceIdentity")]
public sealed record DeviceIdentity(
    [property: Id(0)] string DeviceId,
    [property: Id(1)] string GenerationId,
    [property: Id(2)] string ETag,
    [property: Id(3)] DeviceStatus Status,
    [property: Id(4)] string? StatusReason,
    [property: Id(5)] DateTimeOffset StatusUpdatedTime,
    [property: Id(6)] DeviceConnectionState ConnectionState,
    [property: Id(7)] DateTimeOffset ConnectionStateUpdatedTime,
    [property: Id(8)] DateTimeOffset LastActivityTime,
    [property: Id(9)] int CloudToDeviceMessageCount,
    [property: Id(10)] DeviceAuthentication Authentication,
    [property: Id(11)] bool IsEdge,
    [property: Id(12)] string? ModelId = null,
    [property: Id(13)] string? ManagedBy = null);
