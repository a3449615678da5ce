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
    /// The shard a device belongs to, by <see cref="StableHash"/> of its id. A module (<c>{deviceId}/{moduleId}</c>) is in
    /// its device's shard, so a device's row and its modules' rows go and come together.
    /// </summary>
    public static int ShardOf(string deviceId)
    {
        var slash = deviceId.IndexOf('/', StringComparison.Ordinal);
        return (int)(StableHash.Of(slash < 0 ? deviceId.AsSpan() : deviceId.AsSpan(0, slash)) % Count);
    }

    /// <summary>The grain key of a shard of a hub.</summary>
    public static string Key(string hub, int shard) => string.Concat(hub, "/", shard.ToString(CultureInfo.InvariantCulture));
}
