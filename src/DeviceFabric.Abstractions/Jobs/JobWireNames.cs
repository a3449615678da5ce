namespace DeviceFabric.Jobs;

/// <summary>IoT Hub's JSON names for job types and statuses.</summary>
public static class JobWireNames
{
    /// <summary><c>scheduleUpdateTwin</c> or <c>scheduleDeviceMethod</c>.</summary>
    public static string ToWire(this JobType type) => type == JobType.ScheduleUpdateTwin ? "scheduleUpdateTwin" : "scheduleDeviceMethod";

    /// <summary><c>scheduled</c>, <c>running</c>, <c>completed</c>, <c>failed</c> or <c>cancelled</c>.</summary>
    public static string ToWire(this JobStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>The job type of a wire name, compared without regard to case; null when unknown.</summary>
    public static JobType? ParseType(string? name) =>
        string.Equals(name, "scheduleUpdateTwin", StringComparison.OrdinalIgnoreCase) ? JobType.ScheduleUpdateTwin
        : string.Equals(name, "scheduleDeviceMethod", StringComparison.OrdinalIgnoreCase) ? JobType.ScheduleDeviceMethod
        : null;

    /// <summary>The job status of a wire name (<c>queued</c> and <c>enqueued</c> read as scheduled); null when unknown.</summary>
    public static JobStatus? ParseStatus(string? name) => name?.ToLowerInvariant() switch
    {
        "scheduled" or "queued" or "enqueued" => JobStatus.Scheduled,
        "running" => JobStatus.Running,
        "completed" => JobStatus.Completed,
        "failed" => JobStatus.Failed,
        "cancelled" or "canceled" => JobStatus.Cancelled,
        _ => null,
    };
}
