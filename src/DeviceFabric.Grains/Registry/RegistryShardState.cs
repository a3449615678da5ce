namespace DeviceFabric.Registry;

/// <summary>A registry shard's snapshot: one row per device of the shard and the twin projections for queries.</summary>
[GenerateSerializer, Alias("devicefabric.RegistryShardState")]
public sealed class RegistryShardState
{
    [Id(0)] public Dictionary<string, DeviceEntry> Devices { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Twin projections by device id; a device without one has the empty twin of a new device.</summary>
    [Id(1)] public Dictionary<string, TwinProjection> Twins { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The sequence number of the last journaled change the snapshot includes; replay skips those up to it.</summary>
    [Id(2)] public long Sequence { get; set; }
}
