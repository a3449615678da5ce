namespace DeviceFabric.Persistence;

/// <summary>The name of the grain storage provider every fabric grain persists through.</summary>
public static class GrainStorage
{
    /// <summary>The provider name the silo registers (SQLite on a single node, PostgreSQL in a cluster).</summary>
    public const string Name = "devicefabric";
}
