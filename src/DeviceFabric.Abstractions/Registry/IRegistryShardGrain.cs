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

    /// <summary>
    /// Replaces the twin projection of a registered device, unless a newer one is held; returns after it is stored.
    /// Ignored for a device the shard does not hold (deleted meanwhile).
    /// </summary>
    Task UpsertTwinAsync(string deviceId, TwinProjection twin, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records whether the device has a live session; kept in memory only, as connection state is. A report for an older
    /// session epoch than the last one seen is ignored, and for the same epoch a disconnect wins, so reports that cross
    /// (a reconnect racing a late disconnect) leave the newest state.
    /// </summary>
    Task SetConnectionStateAsync(string deviceId, bool connected, long epoch);

    /// <summary>
    /// Up to <paramref name="maxCount"/> results of a device-twin query for the devices after <paramref name="afterDeviceId"/>,
    /// in ordinal order of id. Aggregates go to <see cref="AggregateAsync"/>.
    /// </summary>
    Task<IReadOnlyList<QueryMatch>> QueryAsync(string query, string? afterDeviceId, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>The shard's groups of a <c>COUNT()</c> query, merged by the caller.</summary>
    Task<IReadOnlyList<QueryGroup>> AggregateAsync(string query, CancellationToken cancellationToken = default);

    /// <summary>The device's newest liveliness, kept in memory for the query document's <c>health</c>.</summary>
    [Orleans.Concurrency.OneWay]
    Task ReportHealthAsync(string deviceId, Devices.DeviceHealthReport report);

    /// <summary>The client certificates of the shard's devices that expire before <paramref name="before"/>.</summary>
    Task<IReadOnlyList<Security.ExpiringCertificate>> ListCertificatesExpiringAsync(DateTimeOffset before, CancellationToken cancellationToken = default);

    /// <summary>How many of the shard's devices (or modules) each query matches, for configuration counts.</summary>
    Task<long[]> CountAsync(IReadOnlyList<string> queries, CancellationToken cancellationToken = default);

    /// <summary>
    /// Tells, in the background, the twins a configuration changed at <paramref name="catalogVersion"/> may concern: those
    /// it targets now and those that show it. Returns at once.
    /// </summary>
    Task ReconcileConfigurationAsync(string configurationId, long catalogVersion, CancellationToken cancellationToken = default);

    /// <summary>Tells, in the background, the twins whose configuration markers disagree with the conditions at <paramref name="catalogVersion"/>.</summary>
    Task SweepConfigurationsAsync(long catalogVersion, CancellationToken cancellationToken = default);

    /// <summary>The ids of the devices that satisfy a WHERE condition (<c>*</c> or empty: all), for jobs.</summary>
    Task<IReadOnlyList<string>> MatchAsync(string? condition, CancellationToken cancellationToken = default);

    /// <summary>What the shard's devices of a deployment's group are doing about it: counts per device class.</summary>
    Task<Updates.UpdateShardReport> ReportUpdateAsync(Updates.UpdateTarget target, CancellationToken cancellationToken = default);

    /// <summary>Each of the shard's devices of a deployment's group (optionally of one class) and its state, by device id.</summary>
    Task<IReadOnlyList<Updates.UpdateDeviceStatus>> ListUpdateDevicesAsync(Updates.UpdateTarget target, string? deviceClassId, CancellationToken cancellationToken = default);

    /// <summary>How many of the shard's devices with the Device Update agent are in each group and class.</summary>
    Task<IReadOnlyList<Updates.UpdateMemberCount>> CountUpdateMembersAsync(CancellationToken cancellationToken = default);
}
