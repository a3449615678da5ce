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

/// <summary>
/// The changes made since the shard's last snapshot, in order. Each write stores only this journal; the snapshot is
/// rewritten once the journal is long, so a change costs a small write instead of the whole shard.
/// </summary>
[GenerateSerializer, Alias("devicefabric.RegistryShardJournal")]
public sealed class RegistryShardJournal
{
    [Id(0)] public List<ShardChange> Changes { get; set; } = [];
}

/// <summary>One change to a shard: a device row set, a twin projection set, or (neither) the device removed.</summary>
[GenerateSerializer, Immutable, Alias("devicefabric.ShardChange")]
public sealed record ShardChange(
    [property: Id(0)] string DeviceId,
    [property: Id(1)] DeviceEntry? Entry,
    [property: Id(2)] TwinProjection? Twin,
    [property: Id(3)] long Sequence = 0);
