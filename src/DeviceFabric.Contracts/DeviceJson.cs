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
