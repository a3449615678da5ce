namespace DeviceFabric.Jobs;

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
