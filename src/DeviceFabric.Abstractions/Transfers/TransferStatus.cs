namespace DeviceFabric.Transfers;

/// <summary>Where a transfer job is, as IoT Hub's import/export job <c>status</c>.</summary>
public enum TransferStatus
{
    /// <summary>Accepted and stored, not started.</summary>
    Enqueued,

    /// <summary>Working through its devices.</summary>
    Running,

    /// <summary>Every device or line was handled (some may have failed: see the counts and the error log).</summary>
    Completed,

    /// <summary>Stopped by an error that concerns the whole job (its file, its target); see the failure reason.</summary>
    Failed,

    /// <summary>Cancelled before it ended; what it had done stays done.</summary>
    Cancelled,
}
