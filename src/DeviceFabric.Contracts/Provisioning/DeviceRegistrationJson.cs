using System.Text.Json.Nodes;

namespace DeviceFabric.Contracts.Provisioning;

/// <summary>DPS's <c>DeviceRegistration</c>: what a device's register request carries.</summary>
public sealed class DeviceRegistrationJson
{
    /// <summary>The registration id (the connection's; some SDKs leave it out).</summary>
    public string? RegistrationId { get; set; }

    /// <summary>Data for a custom allocation webhook.</summary>
    public JsonNode? Payload { get; set; }
}
