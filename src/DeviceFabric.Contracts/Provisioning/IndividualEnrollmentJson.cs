using System.Text.Json.Nodes;

namespace DeviceFabric.Contracts.Provisioning;

/// <summary>DPS's <c>IndividualEnrollment</c> (<c>/enrollments/{registrationId}</c>).</summary>
public sealed class IndividualEnrollmentJson
{
    /// <summary>The registration id (required).</summary>
    public string? RegistrationId { get; set; }

    /// <summary>The device id to create; default: the registration id.</summary>
    public string? DeviceId { get; set; }

    /// <summary>The registration record (read-only).</summary>
    public DeviceRegistrationStateJson? RegistrationState { get; set; }

    /// <summary>How the device attests (required).</summary>
    public AttestationMechanismJson? Attestation { get; set; }

    /// <summary>Whether the device is an IoT Edge device.</summary>
    public CapabilitiesJson? Capabilities { get; set; }

    /// <summary>The hub, for the older single-hub form (as <see cref="IotHubs"/> with one entry).</summary>
    public string? IotHubHostName { get; set; }

    /// <summary>Tags and desired properties the device's twin starts with.</summary>
    public JsonObject? InitialTwin { get; set; }

    /// <summary>The enrollment's etag.</summary>
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

    /// <summary>Host names of the hubs it may go to; empty for all.</summary>
    public List<string>? IotHubs { get; set; }

    /// <summary>The webhook of a custom allocation.</summary>
    public CustomAllocationDefinitionJson? CustomAllocationDefinition { get; set; }
}
