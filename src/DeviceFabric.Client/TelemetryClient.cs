using DeviceFabric.Streams;
using DeviceFabric.Telemetry;
using Orleans.Streams;

namespace DeviceFabric.Client;

/// <summary>
/// Device-to-cloud telemetry of one hub. Delivery: every message a device got a PUBACK for was accepted into the hub's
/// in-memory event stream and reaches the subscribers registered at that moment, in order per device, while the silos
/// run. There is no replay: a subscriber sees only what arrives after it subscribed, and events still queued in a silo
/// that crashes are lost.
/// </summary>
public sealed class TelemetryClient
{
    private readonly IClusterClient _client;
    private readonly string _hub;

    internal TelemetryClient(IClusterClient client, string hub)
    {
        _client = client;
        _hub = hub;
    }

    /// <summary>Calls <paramref name="handler"/> for every message of every device of the hub, one at a time per partition.</summary>
    public async Task<IAsyncDisposable> SubscribeAsync(Func<TelemetryMessage, Task> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var provider = _client.GetStreamProvider(FabricStreams.ProviderName);
        var handles = new List<StreamSubscriptionHandle<TelemetryBatch>>();
        for (var partition = 0; partition < FabricStreams.TelemetryPartitions; partition++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var stream = provider.GetStream<TelemetryBatch>(StreamId.Create(FabricStreams.TelemetryNamespace, FabricStreams.TelemetryKey(_hub, partition)));
            handles.Add(await stream.SubscribeAsync(async (batch, _) =>
            {
                foreach (var message in batch.Messages)
                {
                    await handler(message).ConfigureAwait(false);
                }
            }).ConfigureAwait(false));
        }

        return new StreamSubscription<TelemetryBatch>(handles);
    }
}
