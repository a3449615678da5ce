namespace DeviceFabric.Persistence;

/// <summary>
/// Group commit for a reentrant grain's state: callers change the in-memory state, then await <see cref="CommitAsync"/>,
/// which completes once a write that includes their change is stored. Writes never overlap (one in flight at a time, so
/// no etag race), and every change that arrives while a write is in flight rides the next one, so N concurrent callers
/// cost two writes, not N. Runs on the grain scheduler: single-threaded, no locks.
/// </summary>
internal sealed class GroupCommit(Func<Task> write)
{
    private TaskCompletionSource? _pending;
    private bool _writing;
    private bool _unstored;

    /// <summary>
    /// Completes once every change made so far is stored: at once when nothing is pending, in flight or left over from a
    /// failed write; otherwise with the next write. For callers whose change was already in memory (a repeat).
    /// </summary>
    public Task StoredAsync() => _writing || _pending is not null || _unstored ? CommitAsync() : Task.CompletedTask;

    /// <summary>Completes when a write started after this call has stored the state.</summary>
    public Task CommitAsync()
    {
        _pending ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var committed = _pending.Task;
        if (!_writing)
        {
            _ = DrainAsync();
        }

        return committed;
    }

    private async Task DrainAsync()
    {
        _writing = true;
        try
        {
            while (_pending is { } batch)
            {
                _pending = null;
                try
                {
                    await write();
                    _unstored = false;
                    batch.SetResult();
                }
                catch (Exception ex)
                {
                    // Memory keeps the changes: the next commit, or a repeat's StoredAsync, writes them again.
                    _unstored = true;
                    batch.SetException(ex);
                }
            }
        }
        finally
        {
            _writing = false;
        }
    }
}
