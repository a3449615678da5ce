namespace DeviceFabric.Configurations;

/// <summary>A configuration was created, updated or deleted, or its counts changed; published on the hub's configurations stream.</summary>
/// <param name="Hub">The hub.</param>
/// <param name="ConfigurationId">The configuration.</param>
/// <param name="Kind">What happened.</param>
/// <param name="SystemResults">The system counts after it.</param>
/// <param name="Results">The custom counts after it.</param>
/// <param name="Time">When.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.ConfigurationEvent")]
public sealed record ConfigurationEvent(
    [property: Id(0)] string Hub,
    [property: Id(1)] string ConfigurationId,
    [property: Id(2)] ConfigurationEventKind Kind,
    [property: Id(3)] IReadOnlyDictionary<string, long> SystemResults,
    [property: Id(4)] IReadOnlyDictionary<string, long> Results,
    [property: Id(5)] DateTimeOffset Time);

/// <summary>What a <see cref="ConfigurationEvent"/> reports.</summary>
public enum ConfigurationEventKind
{
    /// <summary>Created.</summary>
    Created,

    /// <summary>Its target condition, priority, labels or metrics changed.</summary>
    Updated,

    /// <summary>Deleted.</summary>
    Deleted,

    /// <summary>Its counts changed.</summary>
    MetricsChanged,
}
