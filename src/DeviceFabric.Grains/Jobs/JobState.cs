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

/// <summary>What a device is in a job, as IoT Hub's per-device job <c>status</c>.</summary>
public enum DeviceJobStatus
{
    /// <summary>Not reached yet.</summary>
    Pending,

    /// <summary>Being handled.</summary>
    Running,

    /// <summary>Handled: the twin was patched, or the method answered (whatever its status).</summary>
    Completed,

    /// <summary>Could not be handled (not found, offline, timed out, past the job's time).</summary>
    Failed,

    /// <summary>Not reached before the job was cancelled or stopped.</summary>
    Canceled,
}

/// <summary>One device's row in a job: its status, the method's answer or the error, and what a twin patch replaced.</summary>
[GenerateSerializer, Alias("devicefabric.DeviceJobRow")]
public sealed class DeviceJobRow
{
    [Id(0)] public string DeviceId { get; set; } = string.Empty;

    [Id(1)] public DeviceJobStatus Status { get; set; }

    [Id(2)] public DateTimeOffset? StartTime { get; set; }

    [Id(3)] public DateTimeOffset? EndTime { get; set; }

    [Id(4)] public int? MethodStatus { get; set; }

    [Id(5)] public string? MethodPayload { get; set; }

    [Id(6)] public string? ErrorCode { get; set; }

    [Id(7)] public string? ErrorDescription { get; set; }

    /// <summary>For twin updates: a patch restoring what this job's patch replaced. For rollbacks: the patch to apply.</summary>
    [Id(8)] public string? Patch { get; set; }
}

/// <summary>What each slice of a job is told to do.</summary>
[GenerateSerializer, Immutable, Alias("devicefabric.JobPlan")]
public sealed record JobPlan(
    [property: Id(0)] string JobId,
    [property: Id(1)] JobRequest Request,
    [property: Id(2)] DateTimeOffset CreatedTime,
    [property: Id(3)] DateTimeOffset Deadline,
    [property: Id(4)] string? RollbackOf);

/// <summary>What a job slice stores: its plan, its devices' rows and whether it has ended.</summary>
[GenerateSerializer, Alias("devicefabric.JobSliceState")]
public sealed class JobSliceState
{
    [Id(0)] public JobPlan? Plan { get; set; }

    [Id(1)] public Dictionary<string, DeviceJobRow> Rows { get; set; } = new(StringComparer.Ordinal);

    [Id(2)] public bool Finished { get; set; }
}
