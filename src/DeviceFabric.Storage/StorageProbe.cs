using Microsoft.Data.Sqlite;
using Npgsql;

namespace DeviceFabric.Storage;

/// <summary>
/// Whether the node's storage answers: a fresh connection and a trivial query, never through the grain storage's own
/// connections (which may still hold a file that is gone). SQLite is opened without creating the file, so a data
/// directory that lost its database is reported rather than silently started afresh.
/// </summary>
public static class StorageProbe
{
    /// <summary>Null when the storage answered, else why it did not.</summary>
    public static async Task<string?> CheckAsync(StorageOptions storage, string dataDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storage);
        try
        {
            if (storage.Mode == StorageMode.PostgreSql)
            {
                await using var postgres = new NpgsqlConnection(storage.ConnectionString);
                await postgres.OpenAsync(cancellationToken);
                await using var ping = new NpgsqlCommand("SELECT 1", postgres);
                await ping.ExecuteScalarAsync(cancellationToken);
                return null;
            }

            var builder = new SqliteConnectionStringBuilder(Orleans.Hosting.StorageExtensions.SqliteConnectionString(dataDirectory)) { Mode = SqliteOpenMode.ReadWrite, Pooling = false };
            await using var sqlite = new SqliteConnection(builder.ToString());
            await sqlite.OpenAsync(cancellationToken);
            await using var query = sqlite.CreateCommand();
            query.CommandText = "SELECT count(*) FROM sqlite_master";
            await query.ExecuteScalarAsync(cancellationToken);
            return null;
        }
        catch (Exception ex) when (ex is SqliteException or NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return ex.GetType().Name + ": " + ex.Message;
        }
    }
}
