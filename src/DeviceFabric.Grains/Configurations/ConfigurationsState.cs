namespace DeviceFabric.Configurations;

/// <summary>What a hub's configurations grain stores. Ids are the storage contract: append only.</summary>
[GenerateSerializer, Alias("devicefabric.ConfigurationsState")]
public sealed class ConfigurationsState
{
    /// <summary>The configurations by id (their counts as last stored; the grain recomputes them).</summary>
    [Id(0)] public Dictionary<string, ConfigurationDefinition> Configurations { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Grows with every change; twins compare it with the version they applied.</summary>
    [Id(1)] public long Version { get; set; }

    /// <summary>Grows with every write, for etags that never repeat.</summary>
    [Id(2)] public long ETagCounter { get; set; }
}
