using DeviceFabric.Devices;
using DeviceFabric.Events;

namespace DeviceFabric.Contracts.Devices;

/// <summary>Connection history and lifecycle events to their REST shapes.</summary>
public static class ActivityMapper
{
    /// <summary>A device's or module's history.</summary>
    public static ConnectionHistoryJson ToJson(string deviceId, string? moduleId, ConnectionHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return new ConnectionHistoryJson
        {
            DeviceId = deviceId,
            ModuleId = moduleId,
            ConnectionState = history.State.ToString(),
            ConnectionStateUpdatedTime = history.StateUpdatedTime,
            LastActivityTime = history.LastActivityTime,
            History = [.. history.Changes.Select(c => new ConnectionChangeJson
            {
                Time = c.Time,
                State = c.Connected ? nameof(DeviceConnectionState.Connected) : nameof(DeviceConnectionState.Disconnected),
                SequenceNumber = ConnectionSequence.Of(c.SessionEpoch),
                Reason = c.Reason,
            })],
        };
    }

    /// <summary>A lifecycle event.</summary>
    public static LifecycleEventJson ToJson(DeviceLifecycleEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new LifecycleEventJson
        {
            Time = e.Time,
            Kind = e.Kind.ToString().ToLowerInvariant(),
            DeviceId = e.DeviceId,
            ModuleId = e.ModuleId,
            Reason = e.Reason,
        };
    }
}
