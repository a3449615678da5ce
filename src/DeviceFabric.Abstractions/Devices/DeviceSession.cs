namespace DeviceFabric.Devices;

/// <summary>A live connection of a device, as its front end describes it when attaching.</summary>
/// <param name="SessionId">Unique per connection; later calls about the connection name it.</param>
/// <param name="FrontEnd">The front end holding the socket, to be told when the session must close.</param>
/// <param name="ModelId">The IoT Plug and Play model id from the username, if any.</param>
/// <param name="ConnectedAt">When the front end accepted the connection: of two attaches that arrive out of order, the later connection wins.</param>
/// <param name="MethodsSubscribed">Whether the connection already holds a subscription to direct methods (a reused MQTT session keeps it).</param>
/// <param name="CloudToDeviceSubscribed">Whether it already holds a subscription to its cloud-to-device topic.</param>
/// <param name="Credential">The key or certificate the connection authenticated with.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.DeviceSession")]
public sealed record DeviceSession(
    [property: Id(0)] Guid SessionId,
    [property: Id(1)] IDeviceConnectionObserver FrontEnd,
    [property: Id(2)] string? ModelId,
    [property: Id(3)] DateTimeOffset ConnectedAt,
    [property: Id(4)] bool MethodsSubscribed = false,
    [property: Id(5)] bool CloudToDeviceSubscribed = false,
    [property: Id(6)] Security.SessionCredential? Credential = null);
