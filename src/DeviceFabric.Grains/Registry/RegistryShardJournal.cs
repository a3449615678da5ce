namespace DeviceFabric.Registry;

/// <summary>
/// The changes made since the shard's last snapshot, in order. Each write stores only this journal; the snapshot is
/// rewritten once the journal is long, so a change costs a small write instead of the whole shard.
/// </summary>
[GenerateSerializer, Alias("devicefabric.RegistryShardJournal")]
public sealed class RegistryShardJournal
{
    [Id(0)] public List<ShardChange> Changes { get; set; } = [];
}
