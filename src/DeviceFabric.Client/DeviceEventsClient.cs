using DeviceFabric.Events;
using DeviceFabric.Streams;

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
    public Task<IAsyncDisposable> SubscribeAsync(Func<DeviceLifecycleEvent, Task> handler, CancellationToken cancellationToken = default) =>
        ClientGuards.SubscribeAsync(_client, FabricStreams.LifecycleNamespace, _hub, handler, cancellationToken);

    /// <summary>
    /// The hub's latest <paramref name="top"/> lifecycle events (1 to <see cref="ILifecycleFeedGrain.MaxEvents"/>), newest
    /// first, including those from before this client subscribed (or started).
    /// </summary>
    public Task<IReadOnlyList<DeviceLifecycleEvent>> RecentAsync(int top = 50, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => _client.GetGrain<ILifecycleFeedGrain>(_hub).RecentAsync(top, cancellationToken));
}
