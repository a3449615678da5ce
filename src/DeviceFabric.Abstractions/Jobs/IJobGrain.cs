namespace DeviceFabric.Jobs;

/// <summary>
/// One job. Key: <c>{hub}/{jobId}</c>. It picks its devices through the registry shards when it starts and works through
/// them shard by shard with bounded concurrency; it survives restarts, resuming without repeating completed devices.
/// </summary>
[Alias("devicefabric.IJobGrain")]
public interface IJobGrain : IGrainWithStringKey
{
    /// <summary>The longest a job may run.</summary>
    public static readonly TimeSpan MaxExecutionTime = TimeSpan.FromDays(2);

    /// <summary>How far in the past a start time may be and still mean now.</summary>
    public static readonly TimeSpan StartTimeGrace = TimeSpan.FromMinutes(5);

    /// <summary>Accepts a job: 409 if the id is taken, 400 for a malformed query, patch or method. Returns once stored.</summary>
    Task<JobSnapshot> CreateAsync(JobRequest request, CancellationToken cancellationToken = default);

    /// <summary>The job, or null when there is none of this id. Answered even while the job is busy stopping.</summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<JobSnapshot?> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Cancels a job that has not ended: devices not yet reached are left alone. Returns the job.</summary>
    Task<JobSnapshot> CancelAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Beyond IoT Hub: restores, on every device this twin-update job changed, the values it replaced, as a new job
    /// (<paramref name="rollbackJobId"/>, or <c>{jobId}-rollback</c>). Returns the rollback job.
    /// </summary>
    Task<JobSnapshot> RollbackAsync(string? rollbackJobId, CancellationToken cancellationToken = default);
}
