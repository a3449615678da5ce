using System.Buffers.Binary;
using FASTER.core;

namespace DeviceFabric.Storage.Telemetry;

/// <summary>The partition's commit loop, its rebuild at open and retention.</summary>
internal sealed partial class EmbeddedPartition
{
    /// <summary>Removes the events enqueued before <paramref name="cutoff"/> and those beyond the newest <paramref name="maxBytes"/>.</summary>
    public long Trim(DateTimeOffset cutoff, long maxBytes)
    {
        var committed = _log.CommittedUntilAddress;
        var target = OffsetAt(cutoff);
        if (committed - _log.BeginAddress > maxBytes)
        {
            target = Math.Max(target, FirstAtOrAfter(committed - maxBytes));
        }

        if (target <= _log.BeginAddress)
        {
            return 0;
        }

        long removed;
        lock (_gate)
        {
            var first = target >= committed ? _lastSequence + 1 : SequenceAt(target);
            removed = first - _firstSequence;
            _firstSequence = first;
            _index.RemoveAll(e => e.Offset < target);
            _log.TruncateUntil(target);
        }

        // The truncation is kept by the next commit; the loop makes one now so it survives a restart.
        SignalCommitter();
        return removed;
    }

    private long FirstAtOrAfter(long address)
    {
        var start = _log.BeginAddress;
        lock (_gate)
        {
            foreach (var entry in _index)
            {
                if (entry.Offset > address)
                {
                    break;
                }

                start = entry.Offset;
            }
        }

        using var iterator = _log.Scan(start, _log.CommittedUntilAddress, scanBufferingMode: ScanBufferingMode.SinglePageBuffering);
        while (iterator.GetNext(out _, out _, out var current, out _))
        {
            if (current >= address)
            {
                return current;
            }
        }

        return _log.CommittedUntilAddress;
    }

    private long SequenceAt(long address)
    {
        using var iterator = _log.Scan(address, _log.CommittedUntilAddress, scanBufferingMode: ScanBufferingMode.SinglePageBuffering);
        return iterator.GetNext(out var entry, out var length, out _, out _)
            ? TelemetryRecord.ReadHeader(entry.AsSpan(0, length)).SequenceNumber
            : _lastSequence + 1;
    }

    /// <summary>
    /// Recovers the numbering and the time index from what the log holds. The last sequence number also rides each
    /// commit's cookie, so a partition that retention emptied goes on counting where it was.
    /// </summary>
    private void Rebuild()
    {
        if (_log.RecoveredCookie is { Length: 8 } cookie)
        {
            _lastSequence = BinaryPrimitives.ReadInt64LittleEndian(cookie);
        }

        using var iterator = _log.Scan(_log.BeginAddress, _log.CommittedUntilAddress, scanBufferingMode: ScanBufferingMode.SinglePageBuffering);
        var count = 0;
        while (iterator.GetNext(out var entry, out var length, out var current, out _))
        {
            var (sequence, time) = TelemetryRecord.ReadHeader(entry.AsSpan(0, length));
            if (count++ % IndexStride == 0)
            {
                _index.Add((time, current, sequence));
            }

            _firstSequence = _firstSequence == 0 ? sequence : _firstSequence;
            _lastSequence = Math.Max(_lastSequence, sequence);
            _lastOffset = current;
            _lastEnqueued = time;
        }

        _firstSequence = _firstSequence == 0 ? _lastSequence + 1 : _firstSequence;
    }

    /// <summary>
    /// Commits whatever was enqueued since the last commit, one flush for all of it, then wakes the readers waiting
    /// for new events. The commit carries the last sequence number it covers (see <see cref="Rebuild"/>).
    /// </summary>
    private async Task CommitLoopAsync()
    {
        var stopping = _stopping.Token;
        while (true)
        {
            try
            {
                await _appended.WaitAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await CommitAsync(CancellationToken.None).ConfigureAwait(false);
                return;
            }

            await CommitAsync(stopping).ConfigureAwait(false);
            Interlocked.Exchange(ref _committed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    private async Task CommitAsync(CancellationToken cancellationToken)
    {
        ValueTask<(bool Success, long CommitTail, long ActualCommitNum)> commit;
        lock (_gate)
        {
            var cookie = new byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(cookie, _lastSequence);
            commit = _log.CommitStronglyAsync(cookie, -1, cancellationToken);
        }

        try
        {
            await commit.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the final commit in the loop's exit covers it.
        }
    }

    private void SignalCommitter()
    {
        try
        {
            _appended.Release();
        }
        catch (SemaphoreFullException)
        {
            // A commit is already due; it will cover this append too.
        }
    }
}
