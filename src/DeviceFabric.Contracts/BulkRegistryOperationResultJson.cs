namespace DeviceFabric.Contracts;

/// <summary>The answer to <c>POST /devices</c>: whether every item succeeded, and the errors of those that did not.</summary>
public sealed class BulkRegistryOperationResultJson
{
    /// <summary>True when every item succeeded.</summary>
    public bool IsSuccessful { get; set; }

    /// <summary>One entry per failed item.</summary>
    public List<DeviceRegistryOperationErrorJson> Errors { get; set; } = [];

    /// <summary>Items that succeeded with a remark; always empty for now.</summary>
    public List<DeviceRegistryOperationErrorJson> Warnings { get; set; } = [];
}
