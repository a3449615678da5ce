using System.Text.Json.Serialization;

namespace DeviceFabric.Contracts;

/// <summary>Source-generated JSON metadata for every REST shape, camelCase as IoT Hub's.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true,
    MaxDepth = 32)]
[JsonSerializable(typeof(DeviceJson))]
[JsonSerializable(typeof(List<DeviceJson>))]
[JsonSerializable(typeof(List<ExportImportDeviceJson>))]
[JsonSerializable(typeof(BulkRegistryOperationResultJson))]
[JsonSerializable(typeof(RegistryStatisticsJson))]
[JsonSerializable(typeof(ErrorJson))]
[JsonSerializable(typeof(DirectMethodRequestJson))]
public sealed partial class ContractsJsonContext : JsonSerializerContext;
