using DeviceFabric.Devices;
using DeviceFabric.Registry;

namespace DeviceFabric.Twins;

/// <summary>
/// The device's part of its twin document. The twin grain takes it from the device's identity; a query takes it from the
/// device's registry row, which lacks what only the device grain holds in memory (last activity, queue depth).
/// </summary>
internal sealed record TwinIdentity(
    string DeviceId,
    string DeviceETag,
    DeviceStatus Status,
    string? StatusReason,
    DateTimeOffset StatusUpdatedTime,
    DeviceConnectionState ConnectionState,
    DeviceAuthenticationType AuthenticationType,
    string? PrimaryThumbprint,
    string? SecondaryThumbprint,
    string? ModelId,
    bool IsEdge,
    DateTimeOffset? LastActivityTime = null,
    int? CloudToDeviceMessageCount = null)
{
    public static TwinIdentity Of(DeviceIdentity device) => new(
        device.DeviceId,
        device.ETag,
        device.Status,
        device.StatusReason,
        device.StatusUpdatedTime,
        device.ConnectionState,
        device.Authentication.Type,
        device.Authentication.PrimaryThumbprint,
        device.Authentication.SecondaryThumbprint,
        device.ModelId,
        device.IsEdge,
        device.LastActivityTime,
        device.CloudToDeviceMessageCount);

    public static TwinIdentity Of(DeviceEntry entry, bool connected) => new(
        entry.DeviceId,
        entry.ETag,
        entry.Status,
        entry.StatusReason,
        entry.StatusUpdatedTime,
        connected ? DeviceConnectionState.Connected : DeviceConnectionState.Disconnected,
        entry.AuthenticationType,
        entry.PrimaryThumbprint,
        entry.SecondaryThumbprint,
        entry.ModelId,
        entry.IsEdge);
}
