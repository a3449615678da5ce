namespace DeviceFabric.Events;

/// <summary>
/// A device lifecycle event, published the moment it happens, in order per device and once each. Connected and
/// Disconnected carry the session's epoch, which increases with every session of the device.
/// </summary>
/// <param name="Hub">The device's hub.</param>
/// <param name="DeviceId">The device.</param>
/// <param name="Kind">What happened.</param>
/// <param name="SessionEpoch">The session's epoch for connection events, 0 for the others.</param>
/// <param name="Time">When it happened.</param>
/// <param name="Reason">Why a session ended (e.g. <c>disabled</c>, <c>superseded</c>), when known.</param>
/// <param name="ModuleId">The module, when the event is a module's (its device is <paramref name="DeviceId"/>).</param>
[GenerateSerializer, Immutable, Alias("devicefabric.DeviceLifecycleEvent")]
public sealed record DeviceLifecycleEvent(
    [property: Id(0)] string Hub,
    [property: Id(1)] string DeviceId,
    [property: Id(2)] DeviceLifecycleKind Kind,
    [property: Id(3)] long SessionEpoch,
    [property: Id(4)] DateTimeOffset Time,
    [property: Id(5)] string? Reason = null,
    [property: Id(6)] string? ModuleId = null);
