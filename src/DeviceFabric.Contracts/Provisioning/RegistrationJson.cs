using System.Globalization;
using System.Text.Json.Nodes;
using DeviceFabric.Provisioning;

namespace DeviceFabric.Contracts.Provisioning;

/// <summary>The one composer of DPS's registration shapes, for devices (MQTT) and the service API (REST) alike.</summary>
public static class RegistrationJson
{
    /// <summary>A registration record as DPS's <c>DeviceRegistrationState</c>.</summary>
    public static DeviceRegistrationStateJson State(DeviceRegistrationState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new DeviceRegistrationStateJson
        {
            RegistrationId = state.RegistrationId,
            CreatedDateTimeUtc = state.CreatedTime.UtcDateTime,
            AssignedHub = state.AssignedHub,
            DeviceId = state.DeviceId,
            Status = Camel(state.Status.ToString()),
            Substatus = state.Substatus is { } substatus ? Camel(substatus.ToString()) : null,
            ErrorCode = state.ErrorCode,
            ErrorMessage = state.ErrorMessage,
            LastUpdatedDateTimeUtc = state.UpdatedTime.UtcDateTime,
            Etag = state.ETag,
            SymmetricKey = state.EnrollmentGroupId is { } group ? new SymmetricKeyRegistrationJson { EnrollmentGroupId = group } : null,
            Payload = state.PayloadJson is { } payload ? JsonNode.Parse(payload) : null,
        };
    }

    /// <summary>An operation as DPS answers a register or a poll: the record only once it is over.</summary>
    public static RegistrationOperationStatusJson Operation(RegistrationOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return new RegistrationOperationStatusJson
        {
            OperationId = operation.OperationId,
            Status = Camel(operation.Status.ToString()),
            RegistrationState = operation.Status == RegistrationStatus.Assigning || operation.State is null ? null : State(operation.State),
        };
    }

    /// <summary>DPS's error body for a code and a message.</summary>
    public static ProvisioningErrorJson Error(DeviceFabricErrorCode code, string message, string trackingId, DateTimeOffset now) => new()
    {
        ErrorCode = (int)code,
        TrackingId = trackingId,
        Message = message,
        TimestampUtc = now.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
    };

    internal static string Camel(string name) => string.Concat(char.ToLowerInvariant(name[0]).ToString(), name.AsSpan(1));
}
