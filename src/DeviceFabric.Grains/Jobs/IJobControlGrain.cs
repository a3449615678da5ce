namespace DeviceFabric.Jobs;

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
