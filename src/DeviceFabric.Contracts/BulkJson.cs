using System.Text.Json.Serialization;

namespace DeviceFabric.Contracts;

/// <summary>One item of <c>POST /devices</c>: a device plus what to do with it.</summary>
public sealed class ExportImportDeviceJson
{
    /// <summary>The device id (the SDKs send <c>id</c>; <c>deviceId</c> is accepted too).</summary>
    public string? Id { get; set; }

    /// <summary>The device id under its registry name.</summary>
    public string? DeviceId { get; set; }

    /// <summary>
    /// <c>create</c>, <c>update</c>, <c>createOrUpdate</c>, <c>updateIfMatchETag</c>, <c>createOrUpdateIfMatchETag</c>,
    /// <c>delete</c> or <c>deleteIfMatchETag</c>, compared without regard to case.
    /// </summary>
    public string? ImportMode { get; set; }

    /// <summary>The etag the <c>IfMatchETag</c> modes compare with.</summary>
    [JsonPropertyName("eTag")]
    public string? ETag { get; set; }

    /// <summary><c>enabled</c> or <c>disabled</c>.</summary>
    public string? Status { get; set; }

    /// <summary>Why the status was set.</summary>
    public string? StatusReason { get; set; }

    /// <summary>The device's credentials.</summary>
    public AuthenticationJson? Authentication { get; set; }

    /// <summary>What the device can do.</summary>
    public CapabilitiesJson? Capabilities { get; set; }
}

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

/// <summary>The answer to <c>GET /statistics/devices</c>.</summary>
public sealed class RegistryStatisticsJson
{
    /// <summary>All registered devices.</summary>
    public long TotalDeviceCount { get; set; }

    /// <summary>Enabled devices.</summary>
    public long EnabledDeviceCount { get; set; }

    /// <summary>Disabled devices.</summary>
    public long DisabledDeviceCount { get; set; }
}
