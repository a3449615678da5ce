using System.Text.Json.Serialization;

namespace DeviceFabric.Contracts.Provisioning;

/// <summary>Source-generated JSON metadata for the provisioning service's shapes, devices' and service callers', camelCase as DPS's.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true,
    AllowDuplicateProperties = false,
    MaxDepth = 32)]
[JsonSerializable(typeof(IndividualEnrollmentJson))]
[JsonSerializable(typeof(List<IndividualEnrollmentJson>))]
[JsonSerializable(typeof(EnrollmentGroupJson))]
[JsonSerializable(typeof(List<EnrollmentGroupJson>))]
[JsonSerializable(typeof(AttestationMechanismJson))]
[JsonSerializable(typeof(DeviceRegistrationStateJson))]
[JsonSerializable(typeof(List<DeviceRegistrationStateJson>))]
[JsonSerializable(typeof(RegistrationOperationStatusJson))]
[JsonSerializable(typeof(DeviceRegistrationJson))]
[JsonSerializable(typeof(ProvisioningErrorJson))]
[JsonSerializable(typeof(BulkEnrollmentOperationJson))]
[JsonSerializable(typeof(BulkEnrollmentOperationResultJson))]
[JsonSerializable(typeof(QuerySpecificationJson))]
[JsonSerializable(typeof(CustomAllocationRequestJson))]
[JsonSerializable(typeof(CustomAllocationResponseJson))]
public sealed partial class ProvisioningJsonContext : JsonSerializerContext;
