namespace DeviceFabric.Storage;

/// <summary>How the node stores state and finds its peers: one node on SQLite, or a cluster on PostgreSQL.</summary>
public enum StorageMode
{
    /// <summary>One silo, localhost clustering, state in a SQLite file under the data directory.</summary>
    Sqlite,

    /// <summary>A cluster of silos sharing one PostgreSQL database for membership, state and reminders.</summary>
    PostgreSql,
}
