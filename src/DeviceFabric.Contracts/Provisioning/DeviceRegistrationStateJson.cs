using System.Text.Json.Nodes;

namespace DeviceFabric.Contracts.Provisioning;

/// <summary>DPS's <c>DeviceRegistrationState</c>: a registration id's record, as devices and the service API see it.</summary>
public sealed class DeviceRegistrationStateJson
{
    /// <summary>The registration id.</summary>
    public string? RegistrationId { get; set; }

    /// <summary>When it first registered, UTC.</summary>
    public DateTime? CreatedDateTimeUtc { get; set; }

    /// <summary>The host name of its hub.</summary>
    public string? AssignedHub { get; set; }

    /// <summary>Its device id there.</summary>
    public string? DeviceId { get; set; }

    /// <summary><c>unassigned</c>, <c>assigning</c>, <c>assigned</c>, <c>failed</c> or <c>disabled</c>.</summary>
    public string? Status { get; set; }

    /// <summary><c>initialAssignment</c>, <c>deviceDataMigrated</c>, <c>deviceDataReset</c> or <c>reprovisionedToInitialAssignment</c>.</summary>
    public string? Substatus { get; set; }

    /// <summary>DPS's numeric error code, when failed.</summary>
    public int? ErrorCode { get; set; }

    /// <summary>Why it failed.</summary>
    public string? ErrorMessage { get; set; }

    /// <summary>When the record last changed, UTC.</summary>
    public DateTime? LastUpdatedDateTimeUtc { get; set; }

    /// <summary>The record's etag.</summary>
    public string? Etag { get; set; }

    /// <summary>The group it registered through (<c>{"enrollmentGroupId": ...}</c>), for symmetric-key groups.</summary>
    public SymmetricKeyRegistrationJson? SymmetricKey { get; set; }

    /// <summary>What a custom allocation webhook returned for the device.</summary>
    public JsonNode? Payload { get; set; }
}
