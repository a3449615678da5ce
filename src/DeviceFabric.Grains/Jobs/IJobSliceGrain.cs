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

/// <summary>What slices tell their job, and how a rollback job is created.</summary>
[Alias("devicefabric.IJobControlGrain")]
internal interface IJobControlGrain : IGrainWithStringKey
{
    /// <summary>A slice's counts; <paramref name="finished"/> when it has ended.</summary>
    [Orleans.Concurrency.OneWay]
    Task ReportAsync(int shard, DeviceJobStatistics statistics, bool finished);

    /// <summary>Creates this job as the rollback of <paramref name="parentJobId"/>.</summary>
    Task<JobSnapshot> CreateRollbackAsync(string parentJobId, JobRequest parentRequest, CancellationToken cancellationToken = default);

    /// <summary>Clears an ended job's stored state (its history expired); a job that has not ended keeps it.</summary>
    Task ForgetAsync();

    /// <summary>Makes sure a job that has not ended is scheduled or running (after a restart).</summary>
    Task ResumeAsync(CancellationToken cancellationToken = default);
}

/// <summary>A job's entry in its hub's directory.</summary>
[GenerateSerializer, Immutable, Alias("devicefabric.JobListing")]
public sealed record JobListing(
    [property: Id(0)] string JobId,
    [property: Id(1)] JobType Type,
    [property: Id(2)] JobStatus Status,
    [property: Id(3)] DateTimeOffset CreatedTime);

/// <summary>How job grains keep their hub's directory up to date.</summary>
[Alias("devicefabric.IJobRegistrarGrain")]
internal interface IJobRegistrarGrain : IGrainWithStringKey
{
    /// <summary>Adds or updates a job's entry; returns once stored.</summary>
    Task RecordAsync(JobListing listing, CancellationToken cancellationToken = default);

    /// <summary>Wakes every job that has not ended, so scheduled ones start on time and running ones resume.</summary>
    Task ResumeAllAsync(CancellationToken cancellationToken = default);
}
