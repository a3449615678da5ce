using DeviceFabric.Registry;

namespace DeviceFabric.Jobs;

/// <summary>
/// The devices of one job in one registry shard. Key: <c>{hub}/{jobId}/{shard}</c>. Picks its devices from its shard
/// when first started, works through them with bounded concurrency, checkpoints its rows, and resumes after a restart.
/// </summary>
[Alias("devicefabric.IJobSliceGrain")]
internal interface IJobSliceGrain : IGrainWithStringKey
{
    /// <summary>Starts or resumes the slice; returns at once. A finished slice reports its final counts again.</summary>
    Task StartAsync(JobPlan plan, CancellationToken cancellationToken = default);

    /// <summary>Stops the slice: devices not reached are canceled. Returns once no device call is in flight.</summary>
    Task CancelAsync(CancellationToken cancellationToken = default);

    /// <summary>The slice's devices by state.</summary>
    Task<DeviceJobStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default);

    /// <summary>For a rollback: each device this twin-update slice changed, with a patch restoring what it replaced.</summary>
    Task<IReadOnlyList<KeyValuePair<string, string>>> GetChangesAsync(CancellationToken cancellationToken = default);

    /// <summary>Clears an ended slice's stored rows (its job's history expired); a slice still running keeps them.</summary>
    Task ForgetAsync();

    /// <summary>Up to <paramref name="maxCount"/> of the slice's device rows matching a <c>devices.jobs</c> query, after a device id.</summary>
    Task<IReadOnlyList<QueryMatch>> QueryRowsAsync(string query, string? afterDeviceId, int maxCount, CancellationToken cancellationToken = default);
}
