using System.Runtime.CompilerServices;
using System.Threading.Channels;
using DeviceFabric.Streams;
using DeviceFabric.Telemetry;
using Orleans.Streams;

namespace DeviceFabric.Client;

/// <summary>
/// Device-to-cloud telemetry of one hub, two ways. <see cref="ReadAsync(string, int, EventPosition?, CancellationToken)"/>
/// reads the hub's durable log through a consumer group, as an Event Hubs client does: from the group's checkpoint (or a
/// position), at the reader's own pace, and <see cref="CheckpointAsync(string, TelemetryEvent, CancellationToken)"/>
/// records how far it got, so a restarted reader resumes without gaps or repeats. <see cref="SubscribeAsync"/> is the live
/// view: what is stored while the subscription is open, in order per device, with no replay.
/// </summary>
public sealed class TelemetryClient
{
    private static readonly TimeSpan ReadWait = TimeSpan.FromSeconds(5);
    private const int ReadCount = 500;

    private readonly IClusterClient _client;
    private readonly string _hub;

    internal TelemetryClient(IClusterClient client, string hub)
    {
        _client = client;
        _hub = hub;
    }

    /// <summary>The hub's partitions: their first and last offsets and sequence numbers, and when each last received a message.</summary>
    public Task<IReadOnlyList<TelemetryPartitionInfo>> GetPartitionsAsync(CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Reader.GetPartitionsAsync(cancellationToken));

    /// <summary>
    /// Reads one partition for <paramref name="consumerGroup"/> from <paramref name="from"/> (default: after the group's
    /// checkpoint, else the earliest event), waiting at the end for new events until cancelled.
    /// </summary>
    public async IAsyncEnumerable<TelemetryEvent> ReadAsync(
        string consumerGroup, int partition, EventPosition? from = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var position = from ?? await StartOfAsync(consumerGroup, partition, cancellationToken).ConfigureAwait(false);
        while (!cancellationToken.IsCancellationRequested)
        {
            var read = await DeviceFabricServiceException.TranslateAsync(() => Reader.ReadAsync(partition, position, ReadCount, ReadWait, cancellationToken)).ConfigureAwait(false);
            foreach (var item in read.Events)
            {
                yield return item;
            }

            position = read.Next;
        }
    }

    /// <summary>Reads every partition for <paramref name="consumerGroup"/> at once, each from its own checkpoint or <paramref name="from"/>; in order within a partition.</summary>
    public async IAsyncEnumerable<TelemetryEvent> ReadAsync(
        string consumerGroup, EventPosition? from = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Bounded, so a slow consumer slows the partition readers instead of buffering the log in memory.
        var merged = Channel.CreateBounded<TelemetryEvent>(new BoundedChannelOptions(ReadCount) { SingleReader = true });
        var readers = Enumerable.Range(0, FabricStreams.TelemetryPartitions).Select(p => Task.Run(async () =>
        {
            await foreach (var item in ReadAsync(consumerGroup, p, from, stop.Token).ConfigureAwait(false))
            {
                await merged.Writer.WriteAsync(item, stop.Token).ConfigureAwait(false);
            }
        }, stop.Token)).ToArray();
        _ = Task.WhenAll(readers).ContinueWith(t => merged.Writer.TryComplete(t.Exception?.InnerException), TaskScheduler.Default);
        try
        {
            await foreach (var item in merged.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return item;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Records that <paramref name="consumerGroup"/> has processed everything up to and including <paramref name="processed"/>.</summary>
    public Task CheckpointAsync(string consumerGroup, TelemetryEvent processed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(processed);
        return CheckpointAsync(consumerGroup, processed.Partition, processed.Offset, cancellationToken);
    }

    /// <summary>Stores <paramref name="offset"/> as the checkpoint of <paramref name="consumerGroup"/> on <paramref name="partition"/>.</summary>
    public Task CheckpointAsync(string consumerGroup, int partition, long offset, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Group(consumerGroup).CheckpointAsync(partition, offset, cancellationToken));

    /// <summary>The checkpoints of <paramref name="consumerGroup"/>, by partition.</summary>
    public Task<IReadOnlyDictionary<int, long>> GetCheckpointsAsync(string consumerGroup, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Group(consumerGroup).GetCheckpointsAsync(cancellationToken));

    /// <summary>Calls <paramref name="handler"/> for every message stored from when this returns until the subscription is disposed, one at a time per partition.</summary>
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

        // Subscribed first, so the fan-outs see this subscription when they next look and keep handing over.
        var subscription = new StreamSubscription<TelemetryBatch>(handles);
        try
        {
            await DeviceFabricServiceException.TranslateAsync(() => TelemetryFanOut.ListenerArrivedAsync(_client, _hub)).ConfigureAwait(false);
        }
        catch
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return subscription;
    }

    private ITelemetryReaderGrain Reader => _client.GetGrain<ITelemetryReaderGrain>(_hub);

    private IConsumerGroupGrain Group(string consumerGroup) => ConsumerGroups.IsValid(consumerGroup)
        ? _client.GetGrain<IConsumerGroupGrain>(ConsumerGroups.Key(_hub, consumerGroup))
        : throw new DeviceFabricServiceException(DeviceFabricErrorCode.ArgumentInvalid, "A consumer group name is 1 to 50 letters, digits, '.', '_' or '-' (or $Default).");

    private async Task<EventPosition> StartOfAsync(string consumerGroup, int partition, CancellationToken cancellationToken)
    {
        var checkpoints = await GetCheckpointsAsync(consumerGroup, cancellationToken).ConfigureAwait(false);
        return checkpoints.TryGetValue(partition, out var offset) ? EventPosition.AfterOffset(offset) : EventPosition.Earliest;
    }
}
