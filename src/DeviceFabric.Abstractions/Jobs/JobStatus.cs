namespace DeviceFabric.Jobs;

/// <summary>A job's state, as IoT Hub's <c>status</c>.</summary>
public enum JobStatus
{
    /// <summary>Accepted; starts at its start time.</summary>
    Scheduled,

    /// <summary>Working through its devices.</summary>
    Running,

    /// <summary>Every device was handled (some may have failed).</summary>
    Completed,

    /// <summary>Stopped by its failure threshold or its maximum execution time.</summary>
    Failed,

    /// <summary>Cancelled by a caller.</summary>
    Cancelled,
}
