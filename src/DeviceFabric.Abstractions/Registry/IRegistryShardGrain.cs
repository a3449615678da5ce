namespace DeviceFabric.Registry;

/// <summary>
/// The catalog of the devices of one hub that hash to one shard. Key: <c>{hub}/{shard}</c> (see <see cref="RegistryShards"/>).
/// Called by device grains after each identity write and by <see cref="IDeviceRegistryGrain"/> to list and count.
/// </summary>
[Alias("devicefabric.IRegistryShardGrain")]
public interface IRegistryShardGrain : IGrainWithStringKey
{
    /// <summary>Adds or replaces a device's row; returns after it is stored.</summary>
    Task UpsertAsync(DeviceEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Removes a device's row; returns after it is stored.</summary>
    Task RemoveAsync(string deviceId, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="maxCount"/> device ids after <paramref name="afterDeviceId"/>, in ordinal order.</summary>
    Task<IReadOnlyList<string>> ListAsync(string? afterDeviceId, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>The counts of the shard's devices.</summary>
    Task<RegistryStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default);
}
