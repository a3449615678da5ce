namespace DeviceFabric.Contracts.Provisioning;

/// <summary>One failed item of a bulk operation.</summary>
public sealed class BulkEnrollmentOperationErrorJson
{
    /// <summary>The item's registration id.</summary>
    public string? RegistrationId { get; set; }

    /// <summary>DPS's numeric error code.</summary>
    public int ErrorCode { get; set; }

    /// <summary>Why it failed.</summary>
    public string? ErrorStatus { get; set; }
}
