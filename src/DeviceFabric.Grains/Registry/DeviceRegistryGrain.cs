using System.Text;
using DeviceFabric.Devices;
using Orleans.Concurrency;

namespace DeviceFabric.Registry;

/// <summary>
/// Lists and counts a hub's devices by asking every registry shard at once and merging their ordered answers.
/// Stateless, so each silo runs it locally and no single activation becomes the hub's bottleneck.
/// </summary>
[StatelessWorker]
internal sealed partial class DeviceRegistryGrain : Grain, IDeviceRegistryGrain
{
    public async Task<DevicePage> ListAsync(int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        if (pageSize is < 1 or > IDeviceRegistryGrain.MaxPageSize)
        {
            throw new DeviceFabricException(
                DeviceFabricErrorCode.ArgumentInvalid, $"The page size must be between 1 and {IDeviceRegistryGrain.MaxPageSize}.");
        }

        var hub = this.GetPrimaryKeyString();
        var after = DecodeToken(continuationToken);
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
        return new DevicePage(found, hasMore ? EncodeToken(ids[^1]) : null);
    }

    public async Task<RegistryStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default)
    {
        var hub = this.GetPrimaryKeyString();
        var counts = await Task.WhenAll(Enumerable.Range(0, RegistryShards.Count).Select(shard =>
            GrainFactory.GetGrain<IRegistryShardGrain>(RegistryShards.Key(hub, shard)).GetStatisticsAsync(cancellationToken)));
        return counts.Aggregate(RegistryStatistics.Empty, (sum, c) => sum.Add(c));
    }

    private static string EncodeToken(string lastDeviceId) => Convert.ToBase64String(Encoding.UTF8.GetBytes(lastDeviceId));

    private static string? DecodeToken(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        var bytes = new byte[token.Length];
        return Convert.TryFromBase64String(token, bytes, out var written)
            ? Encoding.UTF8.GetString(bytes, 0, written)
            : throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "The continuation token is not one this fabric issued.");
    }
}
