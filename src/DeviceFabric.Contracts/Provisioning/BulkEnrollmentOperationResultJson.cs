namespace DeviceFabric.Contracts.Provisioning;

/// <summary>What a bulk operation did: whether every item succeeded, and each failure.</summary>
public sealed class BulkEnrollmentOperationResultJson
{
    /// <summary>Whether every item succeeded.</summary>
    public bool IsSuccessful { get; set; }

    /// <summary>The items that failed.</summary>
    public List<BulkEnrollmentOperationErrorJson> Errors { get; set; } = [];
}
