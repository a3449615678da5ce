using System.Globalization;

namespace DeviceFabric.Provisioning;

/// <summary>
/// The registrations of an enrollment group, spread over shards so a storm of registrations through one group neither
/// queues behind one grain nor rewrites one ever-growing set: each shard stores its part, and listing merges them.
/// </summary>
public static class GroupRegistrations
{
    /// <summary>Shards per group; fixed forever, since changing it would orphan what the shards hold.</summary>
    public const int Shards = 16;

    /// <summary>The most ids one listing returns.</summary>
    public const int MaxPage = 1000;

    /// <summary>The shard a registration belongs to, by <see cref="StableHash"/> of its id.</summary>
    public static int ShardOf(string registrationId) => (int)(StableHash.Of(registrationId) % Shards);

    /// <summary>The grain key of a group's shard.</summary>
    public static string Key(string groupId, int shard) => string.Concat(groupId, "/", shard.ToString(CultureInfo.InvariantCulture));

    /// <summary>Records a registration in its shard of the group.</summary>
    public static Task RecordAsync(IGrainFactory grains, string groupId, string registrationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grains);
        return grains.GetGrain<IGroupRegistrationsGrain>(Key(groupId, ShardOf(registrationId))).RecordAsync(registrationId, cancellationToken);
    }

    /// <summary>The group's registration ids after <paramref name="after"/>, in ordinal order, at most <paramref name="maxCount"/>.</summary>
    public static async Task<IReadOnlyList<string>> ListAsync(IGrainFactory grains, string groupId, string? after, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var wanted = Math.Clamp(maxCount, 1, MaxPage);
        var pages = await Task.WhenAll(Enumerable.Range(0, Shards).Select(shard =>
            grains.GetGrain<IGroupRegistrationsGrain>(Key(groupId, shard)).ListAsync(after, wanted, cancellationToken)));
        return [.. pages.SelectMany(page => page).Order(StringComparer.Ordinal).Take(wanted)];
    }
}
