using DeviceFabric.Methods;

namespace DeviceFabric.Devices;

/// <summary>
/// What a device grain keeps about its one attached connection: the session, what it subscribed to, the method calls
/// waiting on it and the cloud-to-device messages sent on it but not yet acknowledged. A new connection starts with a
/// fresh one, so nothing of an older connection carries over to it.
/// </summary>
internal sealed class LiveSession(DeviceSession session, long epoch)
{
    public DeviceSession Session { get; } = session;

    public Guid SessionId => Session.SessionId;

    /// <summary>Grows with every session of the device; tags its connection events.</summary>
    public long Epoch { get; } = epoch;

    public bool MethodsSubscribed { get; set; } = session.MethodsSubscribed;

    public bool CloudToDeviceSubscribed { get; set; } = session.CloudToDeviceSubscribed;

    /// <summary>Calls sent on this session, by request id, until the device answers or they time out.</summary>
    public Dictionary<string, TaskCompletionSource<DirectMethodResult>> PendingMethods { get; } = new(StringComparer.Ordinal);

    /// <summary>Ids of the cloud-to-device messages sent on this session and not yet acknowledged.</summary>
    public HashSet<string> CloudToDeviceInFlight { get; } = new(StringComparer.Ordinal);
}
