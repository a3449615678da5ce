using DeviceFabric.Devices;
using DeviceFabric.Messages;

namespace DeviceFabric.Client;

/// <summary>Cloud-to-device messages of one hub: send, purge, and receive the feedback senders asked for.</summary>
public sealed class CloudToDeviceClient
{
    private readonly IGrainFactory _grains;
    private readonly string _hub;

    internal CloudToDeviceClient(IGrainFactory grains, string hub)
    {
        _grains = grains;
        _hub = hub;
    }

    /// <summary>Queues a message for the device, stored before this returns; returns its message id.</summary>
    /// <exception cref="DeviceFabricServiceException">
    /// The device does not exist (404), already has 50 messages waiting (<see cref="DeviceFabricErrorCode.DeviceMaximumQueueDepthExceeded"/>),
    /// the body is over 64 KB (413) or the expiry is not within 48 hours (400).
    /// </exception>
    public Task<string> SendAsync(string deviceId, CloudToDeviceMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return DeviceFabricServiceException.TranslateAsync(() => Queue(deviceId).SendAsync(message, cancellationToken));
    }

    /// <summary>Removes every waiting message of the device; returns how many there were.</summary>
    public Task<int> PurgeAsync(string deviceId, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Queue(deviceId).PurgeAsync(cancellationToken));

    /// <summary>Takes up to <paramref name="max"/> feedback records, oldest first; each is handed out once.</summary>
    public Task<IReadOnlyList<FeedbackRecord>> ReceiveFeedbackAsync(int max = 100, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => _grains.GetGrain<IFeedbackGrain>(_hub).ReceiveAsync(max, cancellationToken));

    private ICloudToDeviceGrain Queue(string deviceId) =>
        DeviceIdRules.IsValid(deviceId)
            ? _grains.GetGrain<ICloudToDeviceGrain>(DeviceKey.Create(_hub, deviceId))
            : throw new DeviceFabricServiceException(DeviceFabricErrorCode.DeviceIdInvalid, $"Device id '{deviceId}' is invalid.");
}
