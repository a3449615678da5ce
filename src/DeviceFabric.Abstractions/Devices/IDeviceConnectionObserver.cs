using Orleans.Concurrency;

namespace DeviceFabric.Devices;

/// <summary>A front end (MQTT today) that holds device sockets; device grains call it to end a session.</summary>
[Alias("devicefabric.IDeviceConnectionObserver")]
public interface IDeviceConnectionObserver : IGrainObserver
{
    /// <summary>
    /// Closes the connection of <paramref name="sessionId"/>, if it is still open; a newer connection of the device is
    /// left alone. One-way, so a grain never waits on a socket.
    /// </summary>
    [OneWay]
    Task CloseSessionAsync(string hub, string deviceId, Guid sessionId, string reason);

    /// <summary>
    /// Sends a message to the device on the connection of <paramref name="sessionId"/>, if it is still open and the device
    /// subscribed to that kind of message (the front end's protocol decides what that means). One-way and ordered per
    /// front end, so messages reach the device in the order sent.
    /// </summary>
    [OneWay]
    Task DeliverAsync(string hub, string deviceId, Guid sessionId, DeviceBoundMessage message);
}
