namespace DeviceFabric.CloudToDevice;

/// <summary>
/// A device's cloud-to-device queue, on its device grain. Key: <c>{hub}/{deviceId}</c>. Every change is stored before
/// the call returns; messages go to the device while it is connected and subscribed, and leave the queue when it
/// acknowledges them (PUBACK), expires them or exceeds the delivery count.
/// </summary>
[Alias("devicefabric.ICloudToDeviceGrain")]
public interface ICloudToDeviceGrain : IGrainWithStringKey
{
    /// <summary>Queues a message and returns its id; fails with <see cref="DeviceFabricErrorCode.DeviceMaximumQueueDepthExceeded"/> when 50 are waiting.</summary>
    Task<string> SendAsync(CloudToDeviceMessage message, CancellationToken cancellationToken = default);

    /// <summary>Removes every waiting message and returns how many there were.</summary>
    Task<int> PurgeAsync(CancellationToken cancellationToken = default);

    /// <summary>The session subscribed to its cloud-to-device topic: waiting messages are sent to it.</summary>
    Task CloudToDeviceSubscribedAsync(Guid sessionId, CancellationToken cancellationToken = default);

    /// <summary>The device acknowledged the message (PUBACK) on that session: it is complete.</summary>
    Task CompleteAsync(Guid sessionId, string messageId, CancellationToken cancellationToken = default);
}
