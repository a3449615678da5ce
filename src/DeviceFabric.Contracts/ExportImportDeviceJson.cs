using System.Text.Json.Serialization;

namespace DeviceFabric.Contracts;

/// <summary>One item of <c>POST /devices</c>, or one line of an import or export file: a device, its twin and what to do with it.</summary>
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

    /// <summary>The twin's etag, which <c>updateTwinIfMatchETag</c> compares with.</summary>
    [JsonPropertyName("twinETag")]
    public string? TwinETag { get; set; }

    /// <summary>The twin's tags (import and export files).</summary>
    public System.Text.Json.Nodes.JsonObject? Tags { get; set; }

    /// <summary>The twin's desired and reported properties (import and export files).</summary>
    public TwinPropertiesJson? Properties { get; set; }

    /// <summary>The device's scope for IoT Edge parents; always written by an export, null here.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? DeviceScope { get; set; }
}
