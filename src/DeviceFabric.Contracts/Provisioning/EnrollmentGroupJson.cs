using System.Text.Json.Nodes;

namespace DeviceFabric.Contracts.Provisioning;

/// <summary>DPS's <c>EnrollmentGroup</c> (<c>/enrollmentGroups/{enrollmentGroupId}</c>).</summary>
public sealed class EnrollmentGroupJson
{
    /// <summary>The group id (required).</summary>
    public string? EnrollmentGroupId { get; set; }

    /// <summary>How its devices attest (required): a group key each device's key is derived from.</summary>
    public AttestationMechanismJson? Attestation { get; set; }

    /// <summary>Whether its devices are IoT Edge devices.</summary>
    public CapabilitiesJson? Capabilities { get; set; }

    /// <summary>The hub, for the older single-hub form.</summary>
    public string? IotHubHostName { get; set; }

    /// <summary>Tags and desired properties its devices' twins start with.</summary>
    public JsonObject? InitialTwin { get; set; }

    /// <summary>The group's etag.</summary>
    public string? Etag { get; set; }

    /// <summary><c>enabled</c> (default) or <c>disabled</c>.</summary>
    public string? ProvisioningStatus { get; set; }

    /// <summary>What registering again does.</summary>
    public ReprovisionPolicyJson? ReprovisionPolicy { get; set; }

    /// <summary>When it was created, UTC (read-only).</summary>
    public DateTime? CreatedDateTimeUtc { get; set; }

    /// <summary>When it last changed, UTC (read-only).</summary>
    public DateTime? LastUpdatedDateTimeUtc { get; set; }

    /// <summary><c>hashed</c> (default), <c>geoLatency</c>, <c>static</c> or <c>custom</c>.</summary>
    public string? AllocationPolicy { get; set; }

    /// <summary>Host names of the hubs its devices may go to; empty for all.</summary>
    public List<string>? IotHubs { get; set; }

    /// <summary>The webhook of a custom allocation.</summary>
    public CustomAllocationDefinitionJson? CustomAllocationDefinition { get; set; }
}
