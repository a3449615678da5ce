namespace DeviceFabric.Jobs;

/// <summary>A job as IoT Hub's <c>GET /jobs/v2/{id}</c> describes it.</summary>
/// <param name="JobId">The job's id, unique within the hub.</param>
/// <param name="Request">What the job was asked to do.</param>
/// <param name="Status">Where the job is.</param>
/// <param name="CreatedTime">When it was accepted.</param>
/// <param name="StartTime">When it starts or started.</param>
/// <param name="EndTime">When it ended, if it has.</param>
/// <param name="Statistics">Its devices by state.</param>
/// <param name="FailureReason">Why it failed, if it did.</param>
/// <param name="StatusMessage">A note on its state, if any.</param>
/// <param name="ParentJobId">The job this one rolls back, if it is a rollback.</param>
/// <param name="RollbackJobId">The job that rolls this one back, once there is one.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.JobSnapshot")]
public sealed record JobSnapshot(
    [property: Id(0)] string JobId,
    [property: Id(1)] JobRequest Request,
    [property: Id(2)] JobStatus Status,
    [property: Id(3)] DateTimeOffset CreatedTime,
    [property: Id(4)] DateTimeOffset StartTime,
    [property: Id(5)] DateTimeOffset? EndTime,
    [property: Id(6)] DeviceJobStatistics Statistics,
    [property: Id(7)] string? FailureReason,
    [property: Id(8)] string? StatusMessage,
    [property: Id(9)] string? ParentJobId,
    [property: Id(10)] string? RollbackJobId)
{
    /// <summary>Whether the job has ended for good.</summary>
    public bool IsFinished => Status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled;
}
