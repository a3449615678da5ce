using DeviceFabric.Registry;

namespace DeviceFabric.Devices;

/// <summary>What the grain shows of itself: its row in the registry's catalog, and its identity as callers read it.</summary>
internal sealed partial class DeviceGrain
{
    private DeviceEntry Entry()
    {
        var s = state.State;
        return new DeviceEntry(
            _deviceId,
            s.Status,
            ETags.FromVersion(s.Version),
            s.GenerationId,
            s.Authentication.Type,
            s.IsEdge,
            s.ModelId,
            s.StatusReason,
            s.StatusUpdatedTime,
            s.Authentication.PrimaryThumbprint,
            s.Authentication.SecondaryThumbprint,
            s.CertificateThumbprint,
            s.CertificateExpiry);
    }

    private DeviceIdentity Identity()
    {
        var s = state.State;
        return new DeviceIdentity(
            _deviceId,
            s.GenerationId,
            ETags.FromVersion(s.Version),
            s.Status,
            s.StatusReason,
            s.StatusUpdatedTime,
            _live is null ? DeviceConnectionState.Disconnected : DeviceConnectionState.Connected,
            s.ConnectionStateUpdatedTime,
            s.LastActivityTime,
            CloudToDeviceMessageCount: c2d.State.Messages.Count,
            s.Authentication,
            s.IsEdge,
            s.ModelId,
            s.ManagedBy);
    }
}
