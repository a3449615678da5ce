using System.Collections.Concurrent;
using DeviceFabric.Hubs;
using DeviceFabric.Streams;
using DeviceFabric.Telemetry;
using Microsoft.Extensions.Options;

namespace DeviceFabric.Storage.Telemetry;

/// <summary>
/// The single node's telemetry log: one <see cref="EmbeddedPartition"/> (a FASTER log) per log of a hub and partition
/// under <c>{directory}/{log}/{partition}</c>, opened on first use and recovered to its last commit.
/// </summary>
internal sealed class EmbeddedTelemetryLog(string directory, IOptions<HubOptions> hubs, TimeProvider time) : ITelemetryLog, IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string Hub, int Partition), Lazy<EmbeddedPartition>> _partitions = new();
    private int _disposed;

    public ValueTask AppendAsync(string hub, int partition, TelemetryMessage message) => Partition(hub, partition).AppendAsync(message);

    public async Task<TelemetryReadResult> ReadAsync(string hub, int partition, EventPosition position, int maxCount, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        var log = Partition(hub, partition);
        var (from, skipFirst) = Resolve(log, position);
        var events = log.Read(from, skipFirst, maxCount, out var next);
        if (events.Count == 0 && maxWait > TimeSpan.Zero)
        {
            // At the tail: wait for a commit beyond where this read ended, then read what it brought.
            await log.WaitBeyondAsync(next, maxWait, time, cancellationToken).ConfigureAwait(false);
            events = log.Read(from, skipFirst, maxCount, out next);
        }
        return new TelemetryReadResult(events, events.Count > 0 ? EventPosition.AfterOffset(events[^1].Offset) : ResolvedAgain(position, from, next));
    }

    public Task<TelemetryPartitionInfo> GetPartitionAsync(string hub, int partition, CancellationToken cancellationToken = default) =>
        Task.FromResult(Partition(hub, partition).Describe());

    public Task<long> ApplyRetentionAsync(string hub, int partition, CancellationToken cancellationToken = default)
    {
        // A hub's named logs (route endpoints, dead letters) are opened as routes use them and kept as the hub's are.
        var definition = Hub(hub);
        var cutoff = time.GetUtcNow() - definition.TelemetryRetention;
        var removed = Partition(hub, partition).Trim(cutoff, definition.TelemetryPartitionBytes);
        foreach (var (key, named) in _partitions)
        {
            if (key.Partition == partition && key.Hub != hub && named.IsValueCreated && TelemetryLogNames.HubOf(key.Hub) == hub)
            {
                removed += named.Value.Trim(cutoff, definition.TelemetryPartitionBytes);
            }
        }

        return Task.FromResult(removed);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        foreach (var partition in _partitions.Values.Where(p => p.IsValueCreated))
        {
            await partition.Value.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>An <see cref="EventPosition"/> as an offset to scan from, and whether the event there is to be left out.</summary>
    private static (long From, bool SkipFirst) Resolve(EmbeddedPartition log, EventPosition position) => position.Kind switch
    {
        EventPositionKind.Earliest => (log.BeginOffset, false),
        EventPositionKind.Latest => (log.CommittedOffset, false),
        EventPositionKind.Offset => (ValidOffset(log, position.Offset), false),
        EventPositionKind.AfterOffset => (ValidOffset(log, position.Offset), position.Offset >= log.BeginOffset),
        EventPositionKind.EnqueuedTime => (log.OffsetAt(position.Time), false),
        _ => throw new ArgumentOutOfRangeException(nameof(position)),
    };

    /// <summary>An offset before what retention kept starts at the oldest event, as Event Hubs does.</summary>
    private static long ValidOffset(EmbeddedPartition log, long offset) =>
        offset < 0 ? throw new ArgumentOutOfRangeException(nameof(offset), "an offset is never negative") : Math.Max(offset, log.BeginOffset);

    /// <summary>
    /// Where to go on after a read that found nothing: the same place, made concrete (the latest is pinned to the tail
    /// it saw, so what arrives next is not skipped).
    /// </summary>
    private static EventPosition ResolvedAgain(EventPosition position, long from, long next) => position.Kind switch
    {
        EventPositionKind.AfterOffset when next == from => position,
        _ => EventPosition.FromOffset(next),
    };

    private EmbeddedPartition Partition(string hub, int partition)
    {
        ObjectDisposedException.ThrowIf(_disposed == 1, this);
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(partition, FabricStreams.TelemetryPartitions);
        _ = Hub(hub);
        return _partitions.GetOrAdd((hub, partition), key => new Lazy<EmbeddedPartition>(
            () => new EmbeddedPartition(key.Partition, Path.Combine(directory, key.Hub, key.Partition.ToString(System.Globalization.CultureInfo.InvariantCulture))))).Value;
    }

    /// <summary>The hub of a log: its own (the built-in endpoint) or one of its named logs (<see cref="TelemetryLogNames"/>).</summary>
    private HubDefinition Hub(string log)
    {
        var hub = TelemetryLogNames.HubOf(log);
        return hubs.Value.All.FirstOrDefault(h => h.Name == hub) ?? throw new ArgumentException($"'{hub}' is not a hub of this fabric", nameof(log));
    }
}
