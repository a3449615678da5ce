using System.Text.Json.Nodes;

namespace DeviceFabric.Contracts.Provisioning;

/// <summary>The registering device, as a custom allocation webhook sees it.</summary>
public sealed class DeviceRuntimeContextJson
{
    /// <summary>Its registration id.</summary>
    public string? RegistrationId { get; set; }

    /// <summary>The hub it is in now, when it registered before.</summary>
    public string? CurrentIotHubHostName { get; set; }

    /// <summary>Its device id there.</summary>
    public string? CurrentDeviceId { get; set; }

    /// <summary>Present (empty) when it attested with a symmetric key.</summary>
    public JsonObject? SymmetricKey { get; set; }

    /// <summary>Present when it attested with a certificate.</summary>
    public JsonObject? X509 { get; set; }

    /// <summary>What the device sent with its register request.</summary>
    public JsonNode? Payload { get; set; }
}
