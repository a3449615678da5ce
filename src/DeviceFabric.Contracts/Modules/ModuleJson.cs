namespace DeviceFabric.Contracts.Modules;

/// <summary>A module identity in IoT Hub's JSON shape (<c>PUT/GET /devices/{id}/modules/{moduleId}</c>).</summary>
public sealed class ModuleJson
{
    /// <summary>The module id, unique on its device.</summary>
    public string? ModuleId { get; set; }

    /// <summary>The device the module belongs to.</summary>
    public string? DeviceId { get; set; }

    /// <summary>Who manages the module (for example <c>iotEdge</c>); free text.</summary>
    public string? ManagedBy { get; set; }

    /// <summary>Tells this module from an earlier one of the same id; set by the fabric.</summary>
    public string? GenerationId { get; set; }

    /// <summary>The identity's etag; set by the fabric.</summary>
    public string? Etag { get; set; }

    /// <summary><c>Connected</c> or <c>Disconnected</c>; set by the fabric.</summary>
    public string? ConnectionState { get; set; }

    /// <summary>When the connection state last changed.</summary>
    public DateTime? ConnectionStateUpdatedTime { get; set; }

    /// <summary>When the module was last heard from.</summary>
    public DateTime? LastActivityTime { get; set; }

    /// <summary>Always 0: modules have no cloud-to-device queue.</summary>
    public int CloudToDeviceMessageCount { get; set; }

    /// <summary>The module's credentials.</summary>
    public AuthenticationJson? Authentication { get; set; }
}
