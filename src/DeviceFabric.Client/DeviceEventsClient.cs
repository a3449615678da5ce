using DeviceFabric.Events;
using DeviceFabric.Streams;
using Orleans.Streams;

namespace DeviceFabric.Client;

/// <summary>
/// Device lifecycle events of one hub (created, deleted, connected, disconnected), published the moment they happen,
/// in order per device, once each. Same delivery guarantee as <see cref="TelemetryClient"/>: no replay, lost with a
/// crashed silo.
/// </summary>
public sealed class DeviceEventsClient
{
    private readonly IClusterClient _client;
    private readonly string _hub;

    internal DeviceEventsClient(IClusterClient client, string hub)
    {
        _client = client;
        _hub = hub;
    }

    /// <summary>Calls <paramref name="handler"/> for every lifecycle event of the hub, in order.</summary>
    public async Task<IAsyncDisposable> SubscribeAsync(Func<DeviceLifecycleEvent, Task> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        cancellationToken.ThrowIfCancellationRequested();
        var stream = _client.GetStreamProvider(FabricStreams.ProviderName)
            .GetStream<DeviceLifecycleEvent>(StreamId.Create(FabricStreams.LifecycleNamespace, _hub));
        var handle = await stream.SubscribeAsync((item, _) => handler(item)).ConfigureAwait(false);
        return new StreamSubscription<DeviceLifecycleEvent>([handle]);
    }
}
