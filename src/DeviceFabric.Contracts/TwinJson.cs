using System.Text.Json.Nodes;

namespace DeviceFabric.Contracts;

/// <summary>
/// A device twin, as IoT Hub's twin JSON (<c>/twins/{id}</c>, query results). The fabric composes it in one place for
/// REST and queries alike; this type is its shape, for clients and the OpenAPI document.
/// </summary>
public sealed class TwinJson
{
    /// <summary>The device id.</summary>
    public string? DeviceId { get; set; }

    /// <summary>The twin's etag, for <c>If-Match</c>.</summary>
    public string? Etag { get; set; }

    /// <summary>The device identity's etag.</summary>
    public string? DeviceEtag { get; set; }

    /// <summary>The twin's version, bumped by every change.</summary>
    public long Version { get; set; }

    /// <summary><c>enabled</c> or <c>disabled</c>.</summary>
    public string? Status { get; set; }

    /// <summary>Why the status was set.</summary>
    public string? StatusReason { get; set; }

    /// <summary>When the status last changed, UTC.</summary>
    public DateTime StatusUpdateTime { get; set; }

    /// <summary><c>Connected</c> or <c>Disconnected</c>.</summary>
    public string? ConnectionState { get; set; }

    /// <summary>When the device was last heard from (not in query results).</summary>
    public DateTime? LastActivityTime { get; set; }

    /// <summary>Messages waiting for the device (not in query results).</summary>
    public int? CloudToDeviceMessageCount { get; set; }

    /// <summary><c>sas</c>, <c>selfSigned</c>, <c>certificateAuthority</c> or <c>none</c>.</summary>
    public string? AuthenticationType { get; set; }

    /// <summary>The thumbprints of a self-signed device.</summary>
    public X509ThumbprintJson? X509Thumbprint { get; set; }

    /// <summary>The IoT Plug and Play model id the device last announced, or empty.</summary>
    public string? ModelId { get; set; }

    /// <summary>What the device can do.</summary>
    public CapabilitiesJson? Capabilities { get; set; }

    /// <summary>The service's tags: any JSON object.</summary>
    public JsonObject? Tags { get; set; }

    /// <summary>The desired and reported properties.</summary>
    public TwinPropertiesJson? Properties { get; set; }
}
