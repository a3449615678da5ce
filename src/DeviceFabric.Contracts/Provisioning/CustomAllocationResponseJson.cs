using System.Text.Json.Nodes;

namespace DeviceFabric.Contracts.Provisioning;

/// <summary>A custom allocation webhook's answer: the hub (required), and optionally the twin to start with and data for the device.</summary>
public sealed class CustomAllocationResponseJson
{
    /// <summary>The host name of the hub, one of the request's linked hubs.</summary>
    public string? IotHubHostName { get; set; }

    /// <summary>Tags and desired properties the new device starts with, instead of the enrollment's.</summary>
    public JsonObject? InitialTwin { get; set; }

    /// <summary>Returned to the device in its registration record.</summary>
    public JsonNode? Payload { get; set; }
}
