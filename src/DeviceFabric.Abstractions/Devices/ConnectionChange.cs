namespace DeviceFabric.Devices;

/// <summary>One connect or disconnect of a device or module.</summary>
/// <param name="Time">When the session was attached or detached.</param>
/// <param name="Connected">True for a connect, false for a disconnect.</param>
/// <param name="SessionEpoch">The session's epoch: a connect and its disconnect carry the same one, a later session a greater one.</param>
/// <param name="Reason">Why a session ended (e.g. <c>device disabled</c>, <c>superseded by a new connection</c>), when known.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.ConnectionChange")]
public sealed record ConnectionChange(
    [property: Id(0)] DateTimeOffset Time,
    [property: Id(1)] bool Connected,
    [property: Id(2)] long SessionEpoch,
    [property: Id(3)] string? Reason = null);

/// <summary>A device's connection state now and its latest connects and disconnects, newest first.</summary>
/// <param name="State">Whether a session is attached now.</param>
/// <param name="StateUpdatedTime">When it last changed.</param>
/// <param name="LastActivityTime">When the device was last heard from.</param>
/// <param name="Changes">The latest changes, newest first (a bounded number: older ones are dropped).</param>
[GenerateSerializer, Immutable, Alias("devicefabric.ConnectionHistory")]
public sealed record ConnectionHistory(
    [property: Id(0)] DeviceConnectionState State,
    [property: Id(1)] DateTimeOffset StateUpdatedTime,
    [property: Id(2)] DateTimeOffset LastActivityTime,
    [property: Id(3)] IReadOnlyList<ConnectionChange> Changes);

/// <summary>IoT Hub's connection-state sequence number of a session: its epoch, zero-padded so it compares as a string too.</summary>
public static class ConnectionSequence
{
    /// <summary>The sequence number of the session with <paramref name="epoch"/>.</summary>
    public static string Of(long epoch) => epoch.ToString("D64", System.Globalization.CultureInfo.InvariantCulture);
}
