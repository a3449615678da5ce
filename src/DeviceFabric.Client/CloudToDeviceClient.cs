using DeviceFabric.CloudToDevice;
using DeviceFabric.Streams;

namespace DeviceFabric.Client;

/// <summary>Cloud-to-device messages of one hub: send, purge, and receive the feedback senders asked for.</summary>
public sealed class CloudToDeviceClient
{
    private readonly IClusterClient _client;
    private readonly string _hub;

    internal CloudToDeviceClient(IClusterClient client, string hub)
    {
        _client = client;
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
        DeviceFabricServiceException.TranslateAsync(() => _client.GetGrain<IFeedbackGrain>(_hub).ReceiveAsync(max, cancellationToken));

    /// <summary>
    /// Calls <paramref name="handler"/> for every feedback record as it is produced. The records also stay for
    /// <see cref="ReceiveFeedbackAsync"/>, which is the durable way to read them.
    /// </summary>
    public Task<IAsyncDisposable> SubscribeFeedbackAsync(Func<FeedbackRecord, Task> handler, CancellationToken cancellationToken = default) =>
        ClientGuards.SubscribeAsync(_client, FabricStreams.FeedbackNamespace, _hub, handler, cancellationToken);

    private ICloudToDeviceGrain Queue(string deviceId) => _client.GetGrain<ICloudToDeviceGrain>(ClientGuards.DeviceKeyOf(_hub, deviceId));
}
