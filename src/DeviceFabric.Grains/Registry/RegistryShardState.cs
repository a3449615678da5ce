namespace DeviceFabric.Registry;

/// <summary>What a registry shard stores: one row per device of the shard.</summary>
[GenerateSerializer, Alias("devicefabric.RegistryShardState")]
public sealed class RegistryShardState
{
    [Id(0)] public Dictionary<string, DeviceEntry> Devices { get; set; } = new(StringComparer.Ordinal);
}
