namespace DeviceFabric.Configurations;

/// <summary>
/// A hub's automatic device configurations and IoT Edge deployments. Key: the hub name. Writes return once stored; the
/// twins they target are brought in step afterwards (within seconds), and the counts follow.
/// </summary>
[Alias("devicefabric.IConfigurationsGrain")]
public interface IConfigurationsGrain : IGrainWithStringKey
{
    /// <summary>The most configurations a hub holds (IoT Hub's standard tier).</summary>
    public const int MaxConfigurations = 100;

    /// <summary>
    /// Creates a configuration (<paramref name="ifMatch"/> null) or updates its target condition, labels, priority and
    /// metrics (<paramref name="ifMatch"/> its etag or <c>*</c>); content cannot change once created.
    /// </summary>
    Task<ConfigurationDefinition> PutAsync(string id, ConfigurationSettings settings, string? ifMatch, CancellationToken cancellationToken = default);

    /// <summary>A configuration with its current counts; fails with <see cref="DeviceFabricErrorCode.ConfigurationNotFound"/>.</summary>
    Task<ConfigurationDefinition> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="top"/> configurations, by id.</summary>
    Task<IReadOnlyList<ConfigurationDefinition>> ListAsync(int top, CancellationToken cancellationToken = default);

    /// <summary>Deletes a configuration, honouring <paramref name="ifMatch"/>; the twins it wrote fall back or lose its settings.</summary>
    Task DeleteAsync(string id, string? ifMatch, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes an IoT Edge manifest (<paramref name="content"/>'s <c>modulesContent</c>) straight into one edge device's
    /// module twins, as <c>applyConfigurationContent</c> does: checked as a deployment's, not kept as a configuration.
    /// </summary>
    /// <remarks>Interleaves: it reads none of the grain's state, so configuration calls never wait on a device's twins.</remarks>
    [Orleans.Concurrency.AlwaysInterleave]
    Task ApplyToDeviceAsync(string deviceId, ConfigurationContent content, CancellationToken cancellationToken = default);

    /// <summary>Checks a target condition and metric queries without storing anything.</summary>
    Task<ConfigurationQueryErrors> TestQueriesAsync(string? targetCondition, IReadOnlyDictionary<string, string> metricQueries, CancellationToken cancellationToken = default);

    /// <summary>
    /// The configurations for twins, or only the version when the caller holds <paramref name="knownVersion"/>. Interleaves:
    /// it only reads memory, and twins must never wait behind a write that is telling the shards about them.
    /// </summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<ConfigurationCatalogSnapshot> GetCatalogAsync(long knownVersion, CancellationToken cancellationToken = default);
}
