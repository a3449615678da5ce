using Orleans.Concurrency;

namespace DeviceFabric.Configurations;

/// <summary>
/// The facet of a device or module twin that applies the configurations targeting it. Key: the twin's,
/// <c>{hub}/{deviceId}</c> or <c>{hub}/{deviceId}/{moduleId}</c>.
/// </summary>
[Alias("devicefabric.ITwinConfigurationGrain")]
internal interface ITwinConfigurationGrain : IGrainWithStringKey
{
    /// <summary>Brings the twin in step with the hub's configurations at <paramref name="catalogVersion"/> or later.</summary>
    Task ReconcileConfigurationsAsync(long catalogVersion, CancellationToken cancellationToken = default);

    /// <summary>
    /// As <see cref="ReconcileConfigurationsAsync"/>, one way: for the identity grain that has just created the twin's
    /// device or module (which the twin reads while it reconciles), and for the twin itself after a write it has already
    /// acknowledged. A device twin tells its modules only when <paramref name="tellModules"/> or its deployments changed.
    /// </summary>
    [OneWay]
    Task ReconcileSoonAsync(long catalogVersion, bool tellModules);

    /// <summary>A module twin hears the IoT Edge deployments that target its device (highest priority first) and applies their content for it.</summary>
    Task ApplyDeploymentsAsync(IReadOnlyList<string> deploymentIds, long catalogVersion, CancellationToken cancellationToken = default);

    /// <summary>A device twin's deployments, for a module twin that has not heard them; interleaves, as a module asks while its device may be telling it.</summary>
    [AlwaysInterleave, ReadOnly]
    Task<IReadOnlyList<string>> GetDeploymentsAsync(CancellationToken cancellationToken = default);

    /// <summary>Writes content into a module twin directly (<c>applyConfigurationContent</c> on one edge device), not as a configuration.</summary>
    Task ApplyContentAsync(IReadOnlyDictionary<string, string> paths, CancellationToken cancellationToken = default);
}
