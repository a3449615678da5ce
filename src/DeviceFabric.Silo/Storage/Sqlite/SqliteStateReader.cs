using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace DeviceFabric.Silo.Storage.Sqlite;

/// <summary>
/// Reads grain state on a small pool of connections, each with its SELECT prepared once: a read costs one statement
/// step, not a connection open, a statement parse and a handle for the finalizer. WAL lets readers run beside the writer.
/// </summary>
internal sealed class SqliteStateReader(string connectionString) : IDisposable
{
    /// <summary>Readers kept for reuse; more may exist for a moment under load, and are closed when returned.</summary>
    private const int PoolSize = 16;

    private readonly ConcurrentBag<Reader> _pool = [];

    /// <summary>The stored version and payload of a state, or null when none is stored.</summary>
    public (long Version, byte[] Payload)? Read(string id)
    {
        var reader = _pool.TryTake(out var pooled) ? pooled : new Reader(connectionString);
        try
        {
            return reader.Read(id);
        }
        finally
        {
            if (_pool.Count < PoolSize)
            {
                _pool.Add(reader);
            }
            else
            {
                reader.Dispose();
            }
        }
    }

    public void Dispose()
    {
        while (_pool.TryTake(out var reader))
        {
            reader.Dispose();
        }
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
