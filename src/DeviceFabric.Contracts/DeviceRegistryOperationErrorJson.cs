namespace DeviceFabric.Contracts;

/// <summary>Why one item of a bulk operation failed.</summary>
public sealed class DeviceRegistryOperationErrorJson
{
    /// <summary>The item's device id.</summary>
    public string? DeviceId { get; set; }

    /// <summary>IoT Hub's error name, e.g. <c>DeviceAlreadyExists</c>.</summary>
    public string? ErrorCode { get; set; }

    /// <summary>A sentence saying what went wrong.</summary>
    public string? ErrorStatus { get; set; }
}
