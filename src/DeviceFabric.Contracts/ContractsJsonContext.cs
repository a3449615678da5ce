using System.Text.Json.Serialization;

namespace DeviceFabric.Contracts;

/// <summary>
/// Source-generated JSON metadata for every REST shape, camelCase as IoT Hub's. Names match in any case, as the Azure
/// SDKs send some in PascalCase; so <c>deviceId</c> and <c>DeviceId</c> in one body would be one property twice, and
/// such a body is refused rather than one of them silently winning.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true,
    AllowDuplicateProperties = false,
    MaxDepth = 32)]
[JsonSerializable(typeof(DeviceJson))]
[JsonSerializable(typeof(Telemetry.TelemetryEventJson))]
[JsonSerializable(typeof(Routing.RoutingJson))]
[JsonSerializable(typeof(Telemetry.CheckpointJson))]
[JsonSerializable(typeof(Security.ValueListJson<Telemetry.TelemetryPartitionJson>))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(Modules.ModuleJson))]
[JsonSerializable(typeof(Updates.UpdateJson))]
[JsonSerializable(typeof(Security.ValueListJson<Updates.UpdateJson>))]
[JsonSerializable(typeof(Updates.UpdateFileJson))]
[JsonSerializable(typeof(Updates.UpdateDeliveryJson))]
[JsonSerializable(typeof(Updates.SigningKeyJson))]
[JsonSerializable(typeof(List<Updates.ImportUpdateInputItemJson>))]
[JsonSerializable(typeof(Updates.ImportOperationJson))]
[JsonSerializable(typeof(Updates.DeploymentJson))]
[JsonSerializable(typeof(Security.ValueListJson<Updates.DeploymentJson>))]
[JsonSerializable(typeof(Updates.DeploymentStatusJson))]
[JsonSerializable(typeof(Updates.SubgroupStatusJson))]
[JsonSerializable(typeof(Security.ValueListJson<Updates.DeviceStateJson>))]
[JsonSerializable(typeof(Updates.GroupJson))]
[JsonSerializable(typeof(Security.ValueListJson<Updates.GroupJson>))]
[JsonSerializable(typeof(Updates.DeviceClassJson))]
[JsonSerializable(typeof(Security.ValueListJson<Updates.DeviceClassJson>))]
[JsonSerializable(typeof(Security.ValueListJson<string>))]
[JsonSerializable(typeof(Configurations.ConfigurationJson))]
[JsonSerializable(typeof(List<Configurations.ConfigurationJson>))]
[JsonSerializable(typeof(Configurations.ConfigurationContentJson))]
[JsonSerializable(typeof(Configurations.ConfigurationQueriesJson))]
[JsonSerializable(typeof(Configurations.ConfigurationQueryErrorsJson))]
[JsonSerializable(typeof(List<Modules.ModuleJson>))]
[JsonSerializable(typeof(Alerts.AlertRuleJson))]
[JsonSerializable(typeof(Security.ValueListJson<Alerts.AlertRuleJson>))]
[JsonSerializable(typeof(Security.ValueListJson<Alerts.AlertEventJson>))]
[JsonSerializable(typeof(Security.RegenerateKeyJson))]
[JsonSerializable(typeof(Security.SharedAccessPolicyJson))]
[JsonSerializable(typeof(Devices.ConnectionHistoryJson))]
[JsonSerializable(typeof(Security.ValueListJson<Devices.LifecycleEventJson>))]
[JsonSerializable(typeof(Security.ValueListJson<Security.SharedAccessPolicyJson>))]
[JsonSerializable(typeof(Security.CertificateJson))]
[JsonSerializable(typeof(Security.ValueListJson<Security.CertificateJson>))]
[JsonSerializable(typeof(Security.CertificateVerificationJson))]
[JsonSerializable(typeof(Security.RevocationJson))]
[JsonSerializable(typeof(Security.ValueListJson<Security.RevocationJson>))]
[JsonSerializable(typeof(Security.ValueListJson<Security.SecurityEventJson>))]
[JsonSerializable(typeof(Security.ValueListJson<Security.ExpiringCertificateJson>))]
[JsonSerializable(typeof(List<DeviceJson>))]
[JsonSerializable(typeof(List<ExportImportDeviceJson>))]
[JsonSerializable(typeof(BulkRegistryOperationResultJson))]
[JsonSerializable(typeof(RegistryStatisticsJson))]
[JsonSerializable(typeof(ErrorJson))]
[JsonSerializable(typeof(DirectMethodRequestJson))]
[JsonSerializable(typeof(DirectMethodResponseJson))]
[JsonSerializable(typeof(QuerySpecificationJson))]
[JsonSerializable(typeof(PurgeMessageQueueResultJson))]
[JsonSerializable(typeof(List<FeedbackRecordJson>))]
[JsonSerializable(typeof(JobRequestJson))]
[JsonSerializable(typeof(JobRollbackRequestJson))]
[JsonSerializable(typeof(JobResponseJson))]
[JsonSerializable(typeof(TwinJson))]
[JsonSerializable(typeof(ExportImportDeviceJson))]
[JsonSerializable(typeof(ImportExportJobJson))]
[JsonSerializable(typeof(List<ImportExportJobJson>))]
[JsonSerializable(typeof(ImportExportErrorJson))]
public sealed partial class ContractsJsonContext : JsonSerializerContext;
