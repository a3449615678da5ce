using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace DeviceFabric.Storage.Sqlite;

/// <summary>
/// The single writer of the node's SQLite file: writes from every grain queue here and are committed together, many to a
/// transaction, on one dedicated thread. A write's task completes only after its transaction committed (WAL,
/// synchronous=FULL: on disk), so durability is per write while the fsync is shared by the batch. SQLite allows one
/// writer at a time anyway; one connection that never waits on the lock replaces many that would.
/// </summary>
internal sealed class SqliteBatchWriter : IAsyncDisposable
{
    /// <summary>The most writes one transaction carries; bounds a batch's latency.</summary>
    private const int MaxBatch = 1024;

    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _update;
    private readonly SqliteCommand _delete;
    private readonly Task _loop;

    public SqliteBatchWriter(string connectionString)
    {
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        using (var pragma = _connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;";
            pragma.ExecuteNonQuery();
        }

        _insert = Command("INSERT INTO GrainState (Id, Version, Payload) VALUES ($id, 1, $payload) ON CONFLICT (Id) DO NOTHING;", "$id", "$payload");
        _update = Command("UPDATE GrainState SET Version = Version + 1, Payload = $payload WHERE Id = $id AND Version = $version;", "$id", "$payload", "$version");
        _delete = Command("DELETE FROM GrainState WHERE Id = $id AND Version = $version;", "$id", "$version");
        _loop = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>
    /// Stores <paramref name="payload"/> (or deletes the row when null) if the row is at <paramref name="expectedVersion"/>
    /// (absent when null). Returns the new version, 0 after a delete, or null when the version did not match.
    /// </summary>
    public Task<long?> WriteAsync(string id, long? expectedVersion, byte[]? payload)
    {
        var write = new PendingWrite(id, expectedVersion, payload);
        if (!_queue.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(SqliteBatchWriter));
        }

        return write.Result.Task;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_queue.Writer.TryComplete())
        {
            return;
        }

        await _loop;
        _insert.Dispose();
        _update.Dispose();
        _delete.Dispose();
        await _connection.DisposeAsync();
    }

    private async Task RunAsync()
    {
        var batch = new List<PendingWrite>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var write))
            {
                batch.Add(write);
            }

            Commit(batch);
            batch.Clear();
        }
    }

    private void Commit(List<PendingWrite> batch)
    {
        var started = Stopwatch.GetTimestamp();
        var outcomes = new long?[batch.Count];
        try
        {
            using var transaction = _connection.BeginTransaction();
            for (var i = 0; i < batch.Count; i++)
            {
                outcomes[i] = Apply(batch[i], transaction);
            }

            transaction.Commit();
        }
        catch (Exception) when (batch.Count > 1)
        {
            // Nothing of the batch was stored. One bad write (too big, say) must not fail the others: each goes alone.
            foreach (var write in batch)
            {
                Commit([write]);
            }

            return;
        }
        catch (Exception ex)
        {
            batch[0].Result.TrySetException(ex);
            return;
        }

        StorageInstruments.Committed(batch.Count, Stopwatch.GetElapsedTime(started));
        for (var i = 0; i < batch.Count; i++)
        {
            Trace(batch[i], batch.Count);
            batch[i].Result.TrySetResult(outcomes[i]);
        }
    }

    /// <summary>A span from the write's request to its commit, under the call that asked for it, when someone listens.</summary>
    private static void Trace(PendingWrite write, int batchSize)
    {
        if (write.Parent is not { } parent)
        {
            return;
        }

        using var activity = StorageInstruments.Source.StartActivity("storage.write", ActivityKind.Internal, parent, startTime: write.Requested);
        activity?.SetTag("devicefabric.storage.id", write.Id);
        activity?.SetTag("devicefabric.storage.batch", batchSize);
    }

    private long? Apply(PendingWrite write, SqliteTransaction transaction)
    {
        SqliteCommand command;
        if (write.Payload is null)
        {
            command = _delete;
        }
        else
        {
            command = write.ExpectedVersion is null ? _insert : _update;
            command.Parameters["$payload"].Value = write.Payload;
        }

        command.Transaction = transaction;
        command.Parameters["$id"].Value = write.Id;
        if (write.ExpectedVersion is { } version)
        {
            command.Parameters["$version"].Value = version;
        }
        else if (write.Payload is null)
        {
            return 0; // Deleting a row that was never stored: nothing to do.
        }

        if (command.ExecuteNonQuery() != 1)
        {
            return null;
        }

        return write.Payload is null ? 0 : (write.ExpectedVersion ?? 0) + 1;
    }

    private SqliteCommand Command(string text, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = text;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    private sealed class PendingWrite(string id, long? expectedVersion, byte[]? payload)
    {
        public string Id { get; } = id;

        public long? ExpectedVersion { get; } = expectedVersion;

        public byte[]? Payload { get; } = payload;

        public TaskCompletionSource<long?> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The trace of the call that asked for the write, when a listener wants storage spans.</summary>
        public ActivityContext? Parent { get; } = StorageInstruments.Source.HasListeners() ? Activity.Current?.Context : null;

        public DateTimeOffset Requested { get; } = DateTimeOffset.UtcNow;
    }
}
