using DeviceFabric.Devices;
using DeviceFabric.Query;
using Orleans.Concurrency;

namespace DeviceFabric.Registry;

/// <summary>
/// Lists and counts a hub's devices by asking every registry shard at once and merging their ordered answers.
/// Stateless, so each silo runs it locally and no single activation becomes the hub's bottleneck.
/// </summary>
[StatelessWorker]
internal sealed partial class DeviceRegistryGrain(QueryInstruments queryInstruments) : Grain, IDeviceRegistryGrain
{
    public async Task<DevicePage> ListAsync(int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        if (pageSize is < 1 or > IDeviceRegistryGrain.MaxPageSize)
        {
            throw new DeviceFabricException(
                DeviceFabricErrorCode.ArgumentInvalid, $"The page size must be between 1 and {IDeviceRegistryGrain.MaxPageSize}.");
        }

        var hub = this.GetPrimaryKeyString();
        var after = ContinuationTokens.Decode(continuationToken, 1)?[0];
        var pages = await Task.WhenAll(Enumerable.Range(0, RegistryShards.Count).Select(shard =>
            GrainFactory.GetGrain<IRegistryShardGrain>(RegistryShards.Key(hub, shard)).ListAsync(after, pageSize + 1, cancellationToken)));

        var ids = pages.SelectMany(p => p).Order(StringComparer.Ordinal).Take(pageSize + 1).ToList();
        var hasMore = ids.Count > pageSize;
        if (hasMore)
        {
            ids.RemoveAt(ids.Count - 1);
        }

        var devices = await Task.WhenAll(ids.Select(id =>
            GrainFactory.GetGrain<IDeviceIdentityGrain>(DeviceKey.Create(hub, id)).GetAsync(cancellationToken)));

        // A device deleted between the two reads is left out rather than reported as found.
        var found = devices.OfType<DeviceIdentity>().ToList();
        return new DevicePage(found, hasMore ? ContinuationTokens.Encode(ids[^1]) : null);
    }

    public async Task<RegistryStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default)
    {
        var hub = this.GetPrimaryKeyString();
        var counts = await Task.WhenAll(Enumerable.Range(0, RegistryShards.Count).Select(shard =>
            GrainFactory.GetGrain<IRegistryShardGrain>(RegistryShards.Key(hub, shard)).GetStatisticsAsync(cancellationToken)));
        return counts.Aggregate(RegistryStatistics.Empty, (sum, c) => sum.Add(c));
    }

    public async Task<IReadOnlyList<Security.ExpiringCertificate>> ListCertificatesExpiringAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        var hub = this.GetPrimaryKeyString();
        var lists = await Task.WhenAll(Enumerable.Range(0, RegistryShards.Count).Select(shard =>
            GrainFactory.GetGrain<IRegistryShardGrain>(RegistryShards.Key(hub, shard)).ListCertificatesExpiringAsync(before, cancellationToken)));
        // The soonest first, at most a page: a fleet whose certificates all expire together lists what to renew first.
        return lists.SelectMany(l => l).OrderBy(c => c.NotAfter).Take(IDeviceRegistryGrain.MaxPageSize).ToList();
    }
}
