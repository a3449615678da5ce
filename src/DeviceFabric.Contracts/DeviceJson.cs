using System.Text.Json.Serialization;

namespace DeviceFabric.Contracts;

/// <summary>A device identity in IoT Hub's JSON shape (<c>PUT/GET /devices/{id}</c>).</summary>
public sealed class DeviceJson
{
    /// <summary>The device id.</summary>
    public string? DeviceId { get; set; }

    /// <summary>Tells this device from an earlier one of the same id; set by the fabric.</summary>
    public string? GenerationId { get; set; }

    /// <summary>The identity's etag; set by the fabric.</summary>
    public string? Etag { get; set; }

    /// <summary><c>Connected</c> or <c>Disconnected</c>; set by the fabric.</summary>
    public string? ConnectionState { get; set; }

    /// <summary><c>enabled</c> (the default) or <c>disabled</c>.</summary>
    public string? Status { get; set; }

    /// <summary>Why the status was set; up to 128 characters.</summary>
    public string? StatusReason { get; set; }

    /// <summary>When the connection state last changed.</summary>
    public DateTime? ConnectionStateUpdatedTime { get; set; }

    /// <summary>When the status last changed.</summary>
    public DateTime? StatusUpdatedTime { get; set; }

    /// <summary>When the device was last heard from.</summary>
    public DateTime? LastActivityTime { get; set; }

    /// <summary>Messages waiting in the device's cloud-to-device queue.</summary>
    public int CloudToDeviceMessageCount { get; set; }

    /// <summary>The device's credentials.</summary>
    public AuthenticationJson? Authentication { get; set; }

    /// <summary>What the device can do.</summary>
    public CapabilitiesJson? Capabilities { get; set; }

    /// <summary>The IoT Plug and Play model id the device announced when it last connected; set by the fabric.</summary>
    public string? ModelId { get; set; }
}

/// <summary>A device's credentials in IoT Hub's JSON shape.</summary>
public sealed class AuthenticationJson
{
    /// <summary><c>sas</c>, <c>selfSigned</c>, <c>certificateAuthority</c> or <c>none</c>.</summary>
    public string? Type { get; set; }

    /// <summary>The SAS keys; generated when left empty.</summary>
    public SymmetricKeyJson? SymmetricKey { get; set; }

    /// <summary>The X.509 thumbprints of a self-signed device.</summary>
    [JsonPropertyName("x509Thumbprint")]
    public X509ThumbprintJson? X509Thumbprint { get; set; }
}

/// <summary>A primary and a secondary symmetric key, base64.</summary>
public sealed class SymmetricKeyJson
{
    /// <summary>The primary key.</summary>
    public string? PrimaryKey { get; set; }

    /// <summary>The secondary key.</summary>
    public string? SecondaryKey { get; set; }
}

/// <summary>A primary and a secondary certificate thumbprint, hex.</summary>
public sealed class X509ThumbprintJson
{
    /// <summary>The primary thumbprint.</summary>
    public string? PrimaryThumbprint { get; set; }

    /// <summary>The secondary thumbprint.</summary>
    public string? SecondaryThumbprint { get; set; }
}

/// <summary>What a device can do.</summary>
public sealed class CapabilitiesJson
{
    /// <summary>Whether the device is an IoT Edge device.</summary>
    public bool IotEdge { get; set; }
}
