namespace DeviceFabric.Contracts.Provisioning;

/// <summary>DPS's <c>RegistrationOperationStatus</c>: the answer to a register or an operation-status poll.</summary>
public sealed class RegistrationOperationStatusJson
{
    /// <summary>The operation to poll.</summary>
    public string? OperationId { get; set; }

    /// <summary><c>assigning</c> (poll again), <c>assigned</c> or <c>failed</c>.</summary>
    public string? Status { get; set; }

    /// <summary>The record, once the operation is over.</summary>
    public DeviceRegistrationStateJson? RegistrationState { get; set; }
}
