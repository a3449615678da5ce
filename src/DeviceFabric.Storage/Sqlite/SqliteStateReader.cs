using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace DeviceFabric.Storage.Sqlite;

/// <summary>
/// Reads grain state off the grains' threads: reads queue here and a few dedicated threads, each with its own connection
/// and its SELECT prepared once, serve them (WAL lets them run beside the writer). Microsoft.Data.Sqlite has no real
/// asynchronous I/O, so a read on the grain's thread would block the Orleans scheduler for the length of a disk read.
/// </summary>
internal sealed class SqliteStateReader : IAsyncDisposable
{
    /// <summary>Reads served at once; SQLite's reads scale with cores, and the node has few.</summary>
    private const int Readers = 4;

    private readonly BlockingCollection<PendingRead> _queue = [];
    private readonly Task[] _loops;
    private int _disposed;

    public SqliteStateReader(string connectionString)
    {
        _loops = new Task[Readers];
        for (var i = 0; i < Readers; i++)
        {
            var reader = new Reader(connectionString);
            _loops[i] = Task.Factory.StartNew(() => Serve(reader), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
    }

    /// <summary>The stored version and payload of a state, or null when none is stored.</summary>
    public Task<(long Version, byte[] Payload)?> ReadAsync(string id)
    {
        var read = new PendingRead(id);
        try
        {
            _queue.Add(read);
        }
        catch (InvalidOperationException)
        {
            throw new ObjectDisposedException(nameof(SqliteStateReader));
        }

        return read.Result.Task;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _queue.CompleteAdding();
            await Task.WhenAll(_loops).ConfigureAwait(false);
            _queue.Dispose();
        }
    }

    private void Serve(Reader reader)
    {
        using (reader)
        {
            // A blocking loop on a thread of its own, off the thread pool the grains run on.
            foreach (var read in _queue.GetConsumingEnumerable())
            {
                try
                {
                    read.Result.TrySetResult(reader.Read(read.Id));
                }
                catch (Exception ex)
                {
                    read.Result.TrySetException(ex);
                }
            }
        }
    }

    private sealed class PendingRead(string id)
    {
        public string Id { get; } = id;

        public TaskCompletionSource<(long Version, byte[] Payload)?> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Reader : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _select;
        private readonly SqliteParameter _id;

        public Reader(string connectionString)
        {
            _connection = new SqliteConnection(connectionString);
            _connection.Open();
            _select = _connection.CreateCommand();
            _select.CommandText = "SELECT Version, Payload FROM GrainState WHERE Id = $id;";
            _id = _select.Parameters.Add("$id", SqliteType.Text);
            _select.Prepare();
        }

        public (long Version, byte[] Payload)? Read(string id)
        {
            _id.Value = id;
            using var row = _select.ExecuteReader();
            return row.Read() ? (row.GetInt64(0), (byte[])row.GetValue(1)) : null;
        }

        public void Dispose()
        {
            _select.Dispose();
            _connection.Dispose();
        }
    }
}
