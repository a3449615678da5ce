using Orleans.Concurrency;

namespace DeviceFabric.Devices;

/// <summary>
/// The device-side facet of a device grain, called by the front end that holds the device's connection. Key:
/// <c>{hub}/{deviceId}</c>. One session is live at a time; a newer one supersedes the older.
/// </summary>
[Alias("devicefabric.IDeviceSessionGrain")]
public interface IDeviceSessionGrain : IGrainWithStringKey
{
    /// <summary>Checks a connect attempt against the device's identity; changes nothing, whatever the answer.</summary>
    Task<DeviceAuthResult> AuthenticateAsync(DeviceCredentials credentials, CancellationToken cancellationToken = default);

    /// <summary>
    /// Attaches a connection, closing any older one, and returns its epoch (greater than every earlier epoch of the
    /// device); returns 0, attaching nothing, when a connection accepted later is already attached.
    /// </summary>
    Task<long> AttachSessionAsync(DeviceSession session, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that the session was active at <paramref name="at"/>, having sent <paramref name="telemetryMessages"/>
    /// device-to-cloud messages since its last report; kept in memory, stored lazily.
    /// </summary>
    [OneWay]
    Task ReportActivityAsync(Guid sessionId, DateTimeOffset at, int telemetryMessages = 0);

    /// <summary>Sends a message to the device's live session, if any; returns whether there was one.</summary>
    Task<bool> SendToDeviceAsync(DeviceBoundMessage message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Detaches the session if it is still the live one (a stale session id is ignored), with the telemetry messages it
    /// sent since its last activity report.
    /// </summary>
    Task DetachSessionAsync(Guid sessionId, DateTimeOffset lastActivity, string reason, int telemetryMessages = 0, CancellationToken cancellationToken = default);
}
