using System.Globalization;

namespace DeviceFabric.Registry;

/// <summary>Maps devices to registry shards. The count is fixed forever per hub: changing it would orphan catalog rows.</summary>
public static class RegistryShards
{
    /// <summary>
    /// The number of registry shards of every hub. Each shard stores its rows as one blob, so a write costs in proportion
    /// to the shard's size: 128 keeps a 100,000-device hub at under 800 rows a shard, while listing fans out to 128 grains.
    /// </summary>
    public const int Count = 128;

    /// <summary>
    /// The shard a device belongs to: FNV-1a over the id's characters. It must be stable across processes and
    /// versions, which <see cref="string.GetHashCode()"/> (randomised per process) is not.
    /// </summary>
    public static int ShardOf(string deviceId)
    {
        var hash = 2166136261u;
        foreach (var c in deviceId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % Count);
    }

    /// <summary>The grain key of a shard of a hub.</summary>
    public static string Key(string hub, int shard) => string.Concat(hub, "/", shard.ToString(CultureInfo.InvariantCulture));
}
