using DeviceFabric.Registry;

namespace DeviceFabric.Jobs;

/// <summary>
/// The hub's list of jobs. Key: the hub name. Lists and queries jobs, and their per-device rows for <c>FROM devices.jobs</c>.
/// </summary>
[Alias("devicefabric.IJobDirectoryGrain")]
public interface IJobDirectoryGrain : IGrainWithStringKey
{
    /// <summary>Jobs, newest first, filtered by type and status when given.</summary>
    Task<QueryPage> QueryJobsAsync(JobType? type, JobStatus? status, int pageSize, string? continuationToken, CancellationToken cancellationToken = default);

    /// <summary>Runs a <c>FROM devices.jobs</c> query over the per-device rows of every job.</summary>
    Task<QueryPage> QueryDeviceJobsAsync(string query, int pageSize, string? continuationToken, CancellationToken cancellationToken = default);
}
