using System.Buffers;
using DeviceFabric.Telemetry;
using FASTER.core;

namespace DeviceFabric.Storage.Telemetry;

/// <summary>
/// One partition of a hub's telemetry log in a FASTER log of its own directory. Appends are numbered and enqueued
/// under one lock (so sequence numbers follow offsets) and wait for a commit; one commit loop flushes whatever was
/// enqueued while the previous commit ran (group commit), so a burst costs one flush, not one per message. Offsets are
/// FASTER's logical addresses, byte positions as Event Hubs' offsets are. A sparse index of (time, offset) pairs, one
/// per <see cref="IndexStride"/> events, finds reads by time and trims by age without scanning from the start.
/// </summary>
internal sealed partial class EmbeddedPartition : IAsyncDisposable
{
    private const int IndexStride = 256;

    private readonly FasterLogSettings _settings;
    private readonly FasterLog _log;
    private readonly Lock _gate = new();
    private readonly ArrayBufferWriter<byte> _encoder = new(1024);
    private readonly List<(DateTimeOffset Time, long Offset, long Sequence)> _index = [];
    private readonly SemaphoreSlim _appended = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _committer;
    private TaskCompletionSource _committed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastSequence;
    private long _firstSequence;
    private long _lastOffset;
    private DateTimeOffset? _lastEnqueued;

    public EmbeddedPartition(int partition, string directory)
    {
        Partition = partition;
        Directory.CreateDirectory(directory);
        // 1 MB pages hold the largest message (256 KB and its properties); 4 MB of them stay in memory per partition,
        // and 64 MB segments let retention delete files as it trims.
        _settings = new FasterLogSettings(directory) { PageSizeBits = 20, MemorySizeBits = 22, SegmentSizeBits = 26, AutoRefreshSafeTailAddress = true };
        _log = new FasterLog(_settings);
        Rebuild();
        _committer = Task.Run(CommitLoopAsync);
    }

    public int Partition { get; }

    public long BeginOffset => _log.BeginAddress;

    public long CommittedOffset => _log.CommittedUntilAddress;

    public long Bytes => _log.CommittedUntilAddress - _log.BeginAddress;

    public async ValueTask AppendAsync(TelemetryMessage message)
    {
        long until;
        lock (_gate)
        {
            _encoder.ResetWrittenCount();
            TelemetryRecord.Write(_encoder, _lastSequence + 1, message);
            var offset = _log.Enqueue(_encoder.WrittenSpan);
            _lastSequence++;
            _lastOffset = offset;
            _lastEnqueued = message.EnqueuedTime;
            if (_firstSequence == 0)
            {
                _firstSequence = _lastSequence;
            }

            if (_lastSequence % IndexStride == 1 || _index.Count == 0)
            {
                _index.Add((message.EnqueuedTime, offset, _lastSequence));
            }

            until = _log.TailAddress;
        }

        if (_appended.CurrentCount == 0)
        {
            SignalCommitter();
        }

        await _log.WaitForCommitAsync(until).ConfigureAwait(false);
    }

    /// <summary>Up to <paramref name="maxCount"/> committed events from <paramref name="from"/> (an event's offset or the tail).</summary>
    public List<TelemetryEvent> Read(long from, bool skipFirst, int maxCount, out long next)
    {
        var events = new List<TelemetryEvent>(Math.Min(maxCount, 256));
        next = Math.Max(from, _log.BeginAddress);
        var end = _log.CommittedUntilAddress;
        if (next >= end)
        {
            return events;
        }

        using var iterator = _log.Scan(next, end, scanBufferingMode: ScanBufferingMode.SinglePageBuffering);
        while (events.Count < maxCount && iterator.GetNext(out var entry, out var length, out var current, out var after))
        {
            next = after;
            if (skipFirst && current == from)
            {
                continue;
            }

            var (sequence, message) = TelemetryRecord.Read(entry.AsSpan(0, length));
            events.Add(new TelemetryEvent(Partition, current, sequence, message));
        }

        return events;
    }

    /// <summary>The offset of the first event enqueued at or after <paramref name="time"/>, or the committed tail.</summary>
    public long OffsetAt(DateTimeOffset time)
    {
        var start = _log.BeginAddress;
        lock (_gate)
        {
            foreach (var entry in _index)
            {
                if (entry.Time >= time)
                {
                    break;
                }

                start = Math.Max(start, entry.Offset);
            }
        }

        var end = _log.CommittedUntilAddress;
        if (start >= end)
        {
            return end;
        }

        using var iterator = _log.Scan(start, end, scanBufferingMode: ScanBufferingMode.SinglePageBuffering);
        while (iterator.GetNext(out var entry, out var length, out var current, out _))
        {
            if (TelemetryRecord.ReadHeader(entry.AsSpan(0, length)).EnqueuedTime >= time)
            {
                return current;
            }
        }

        return end;
    }

    public TelemetryPartitionInfo Describe()
    {
        lock (_gate)
        {
            var empty = _firstSequence == 0 || _firstSequence > _lastSequence;
            return new TelemetryPartitionInfo(
                Partition,
                empty ? null : _log.BeginAddress,
                empty ? null : _lastOffset,
                empty ? 0 : _firstSequence,
                _lastSequence,
                empty ? null : _lastEnqueued);
        }
    }

    /// <summary>Waits until something is committed after <paramref name="offset"/>, or the wait ends.</summary>
    public async Task WaitBeyondAsync(long offset, TimeSpan maxWait, TimeProvider time, CancellationToken cancellationToken)
    {
        var committed = Volatile.Read(ref _committed).Task;
        if (_log.CommittedUntilAddress > offset || maxWait <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            await committed.WaitAsync(maxWait, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Nothing arrived in time: the caller answers with what there is.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _committer.ConfigureAwait(false);
        _log.Dispose();
        _settings.Dispose();
        _stopping.Dispose();
        _appended.Dispose();
    }
}
