using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace DeviceFabric.Storage;

/// <summary>
/// Applies the project's own idempotent schema scripts (embedded under <c>Storage/Sql</c>) before Orleans starts, since
/// Orleans' ADO.NET providers read their queries from the database at start-up. Safe to run on every start and from
/// several silos at once: PostgreSQL runs are serialised by an advisory lock.
/// </summary>
internal static class SchemaInstaller
{
    private const string ResourcePrefix = "DeviceFabric.Sql.";

    // An arbitrary constant that names the fabric's schema lock among PostgreSQL advisory locks.
    private const long PostgresSchemaLock = 0x44657646616272;

    public static void Install(StorageMode mode, string connectionString)
    {
        var scripts = Scripts(mode);
        if (mode == StorageMode.Sqlite)
        {
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            Execute(connection, "PRAGMA journal_mode=WAL;");
            RunAll(connection, scripts);
        }
        else
        {
            using var connection = new NpgsqlConnection(connectionString);
            connection.Open();
            Execute(connection, $"SELECT pg_advisory_lock({PostgresSchemaLock});");
            try
            {
                RunAll(connection, scripts);
            }
            finally
            {
                Execute(connection, $"SELECT pg_advisory_unlock({PostgresSchemaLock});");
            }
        }
    }

    /// <summary>The scripts of a store, in the order their file names give.</summary>
    public static IReadOnlyList<(string Name, string Text)> Scripts(StorageMode mode)
    {
        var assembly = typeof(SchemaInstaller).Assembly;
        var folder = ResourcePrefix + mode + "/";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(folder, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return (n[folder.Length..], reader.ReadToEnd());
            })
            .ToList();
    }

    private static void RunAll(DbConnection connection, IReadOnlyList<(string Name, string Text)> scripts)
    {
        if (scripts.Count == 0)
        {
            throw new InvalidOperationException("No schema scripts are embedded in the silo: the build is broken.");
        }

        foreach (var (name, text) in scripts)
        {
            try
            {
                Execute(connection, text);
            }
            catch (DbException ex)
            {
                throw new InvalidOperationException($"Schema script {name} failed: {ex.Message}", ex);
            }
        }
    }

    private static void Execute(DbConnection connection, string text)
    {
        using var command = connection.CreateCommand();
        command.CommandText = text;
        command.ExecuteNonQuery();
    }
}
