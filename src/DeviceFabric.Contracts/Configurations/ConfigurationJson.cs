using System.Text.Json;

namespace DeviceFabric.Contracts.Configurations;

/// <summary>An automatic device configuration or IoT Edge deployment in IoT Hub's JSON shape (<c>/configurations/{id}</c>).</summary>
public sealed class ConfigurationJson
{
    /// <summary>The id: lower case, at most 128 characters.</summary>
    public string? Id { get; set; }

    /// <summary>Always <c>1.0</c>.</summary>
    public string? SchemaVersion { get; set; }

    /// <summary>Free labels.</summary>
    public Dictionary<string, string>? Labels { get; set; }

    /// <summary>What it writes; fixed once created.</summary>
    public ConfigurationContentJson? Content { get; set; }

    /// <summary><c>assignment</c>, as the C# SDK sends it; ignored.</summary>
    public string? ContentType { get; set; }

    /// <summary>Which twins it targets, in the query language; <c>*</c> for all.</summary>
    public string? TargetCondition { get; set; }

    /// <summary>When it was created; set by the fabric.</summary>
    public DateTime? CreatedTimeUtc { get; set; }

    /// <summary>When it was last changed; set by the fabric.</summary>
    public DateTime? LastUpdatedTimeUtc { get; set; }

    /// <summary>Higher wins a path several configurations write; ties go to the newest.</summary>
    public int? Priority { get; set; }

    /// <summary>The system counts and their queries; set by the fabric.</summary>
    public ConfigurationMetricsJson? SystemMetrics { get; set; }

    /// <summary>Custom metric queries (at most five) and their counts.</summary>
    public ConfigurationMetricsJson? Metrics { get; set; }

    /// <summary>The etag; set by the fabric.</summary>
    public string? Etag { get; set; }
}

/// <summary>A configuration's content: twin paths to values, for device twins, module twins or an IoT Edge deployment's modules.</summary>
public sealed class ConfigurationContentJson
{
    /// <summary>Paths of device twins (<c>properties.desired...</c>, <c>tags...</c>) to values.</summary>
    public Dictionary<string, JsonElement>? DeviceContent { get; set; }

    /// <summary>Paths of module twins to values.</summary>
    public Dictionary<string, JsonElement>? ModuleContent { get; set; }

    /// <summary>An IoT Edge deployment: by module id (<c>$edgeAgent</c>, <c>$edgeHub</c>, others), paths of that module's twin to values.</summary>
    public Dictionary<string, Dictionary<string, JsonElement>>? ModulesContent { get; set; }
}

/// <summary>Counts by name and the queries behind them.</summary>
public sealed class ConfigurationMetricsJson
{
    /// <summary>The counts.</summary>
    public Dictionary<string, long>? Results { get; set; }

    /// <summary>The queries.</summary>
    public Dictionary<string, string>? Queries { get; set; }
}

/// <summary>The body of <c>POST /configurations/testQueries</c>.</summary>
public sealed class ConfigurationQueriesJson
{
    /// <summary>A target condition to check.</summary>
    public string? TargetCondition { get; set; }

    /// <summary>Metric queries to check, by name.</summary>
    public Dictionary<string, string>? CustomMetricQueries { get; set; }
}

/// <summary>The answer of <c>POST /configurations/testQueries</c>: errors in the body, empty when valid.</summary>
public sealed class ConfigurationQueryErrorsJson
{
    /// <summary>The target condition's error, or empty.</summary>
    public string? TargetConditionError { get; set; }

    /// <summary>Each metric query's error, or empty.</summary>
    public Dictionary<string, string>? CustomMetricQueryErrors { get; set; }
}
