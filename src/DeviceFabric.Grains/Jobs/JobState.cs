namespace DeviceFabric.Jobs;

/// <summary>What a job grain stores: the request and where the job is. Per-device progress lives in its slices.</summary>
[GenerateSerializer, Alias("devicefabric.JobState")]
public sealed class JobState
{
    [Id(0)] public JobRequest? Request { get; set; }

    [Id(1)] public JobStatus Status { get; set; }

    [Id(2)] public DateTimeOffset CreatedTime { get; set; }

    [Id(3)] public DateTimeOffset StartTime { get; set; }

    [Id(4)] public DateTimeOffset? EndTime { get; set; }

    /// <summary>The final counts, stored when the job ends.</summary>
    [Id(5)] public DeviceJobStatistics Statistics { get; set; } = DeviceJobStatistics.Empty;

    [Id(6)] public string? FailureReason { get; set; }

    [Id(7)] public string? StatusMessage { get; set; }

    /// <summary>The twin-update job this one rolls back, if it is a rollback.</summary>
    [Id(8)] public string? RollbackOf { get; set; }

    [Id(9)] public string? RollbackJobId { get; set; }
}
