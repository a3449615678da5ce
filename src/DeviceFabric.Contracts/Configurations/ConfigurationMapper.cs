using System.Text.Json;
using DeviceFabric.Configurations;

namespace DeviceFabric.Contracts.Configurations;

/// <summary>Maps between IoT Hub's configuration JSON and the fabric's records; read-only fields sent back are ignored.</summary>
public static class ConfigurationMapper
{
    /// <summary>IoT Hub's configuration schema version.</summary>
    public const string SchemaVersion = "1.0";

    /// <summary>What a create or update sets.</summary>
    public static ConfigurationSettings ToSettings(ConfigurationJson json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.SchemaVersion is { Length: > 0 } version && version != SchemaVersion)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"schemaVersion must be {SchemaVersion}.");
        }

        return new ConfigurationSettings(
            json.Labels ?? [],
            ToContent(json.Content),
            json.TargetCondition ?? string.Empty,
            json.Priority ?? 0,
            json.Metrics?.Queries ?? []);
    }

    /// <summary>The content, values as JSON text; empty maps count as absent (the C# SDK sends all three).</summary>
    public static ConfigurationContent ToContent(ConfigurationContentJson? json) => new(
        Texts(json?.DeviceContent),
        Texts(json?.ModuleContent),
        (json?.ModulesContent ?? []).Where(m => m.Value is { Count: > 0 })
            .ToDictionary(m => m.Key, m => (IReadOnlyDictionary<string, string>)Texts(m.Value), StringComparer.Ordinal));

    /// <summary>The configuration as IoT Hub's JSON.</summary>
    public static ConfigurationJson ToJson(ConfigurationDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var content = definition.Content;
        return new ConfigurationJson
        {
            Id = definition.Id,
            SchemaVersion = SchemaVersion,
            Labels = new Dictionary<string, string>(definition.Labels),
            Content = new ConfigurationContentJson
            {
                DeviceContent = Elements(content.DeviceContent),
                ModuleContent = Elements(content.ModuleContent),
                ModulesContent = content.ModulesContent.ToDictionary(m => m.Key, m => Elements(m.Value), StringComparer.Ordinal),
            },
            ContentType = "assignment",
            TargetCondition = definition.TargetCondition,
            CreatedTimeUtc = definition.CreatedTime.UtcDateTime,
            LastUpdatedTimeUtc = definition.LastUpdatedTime.UtcDateTime,
            Priority = definition.Priority,
            SystemMetrics = new ConfigurationMetricsJson
            {
                Results = new Dictionary<string, long>(definition.Metrics.SystemResults),
                Queries = new Dictionary<string, string>(definition.Metrics.SystemQueries),
            },
            Metrics = new ConfigurationMetricsJson
            {
                Results = new Dictionary<string, long>(definition.Metrics.Results),
                Queries = new Dictionary<string, string>(definition.MetricQueries),
            },
            Etag = definition.ETag,
        };
    }

    private static Dictionary<string, string> Texts(Dictionary<string, JsonElement>? values) =>
        (values ?? []).ToDictionary(v => v.Key, v => v.Value.GetRawText(), StringComparer.Ordinal);

    private static Dictionary<string, JsonElement> Elements(IReadOnlyDictionary<string, string> values) =>
        values.ToDictionary(v => v.Key, v => JsonDocument.Parse(v.Value).RootElement.Clone(), StringComparer.Ordinal);
}
