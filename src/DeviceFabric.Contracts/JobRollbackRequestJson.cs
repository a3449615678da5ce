namespace DeviceFabric.Contracts;

/// <summary>The optional body of <c>POST /jobs/v2/{id}/rollback</c> (beyond IoT Hub).</summary>
public sealed class JobRollbackRequestJson
{
    /// <summary>The rollback job's id; default <c>{id}-rollback</c>.</summary>
    public string? JobId { get; set; }
}
