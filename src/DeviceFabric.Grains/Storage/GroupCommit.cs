namespace DeviceFabric.Storage;

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
                    batch.SetResult();
                }
                catch (Exception ex)
                {
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
