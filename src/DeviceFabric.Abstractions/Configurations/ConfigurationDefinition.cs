namespace DeviceFabric.Configurations;

/// <summary>An automatic device configuration or IoT Edge deployment as stored, with its metrics as last computed.</summary>
/// <param name="Id">Unique in the hub; lower case, at most 128 characters.</param>
/// <param name="Labels">Free labels (string to string).</param>
/// <param name="Content">What it writes; fixed once created, as in IoT Hub.</param>
/// <param name="TargetCondition">Which twins it targets, in the query language (<c>*</c> for all).</param>
/// <param name="Priority">Higher wins a path several configurations write; ties go to the newest.</param>
/// <param name="MetricQueries">Custom metrics by name, each a query whose matches are counted.</param>
/// <param name="CreatedTime">When it was created.</param>
/// <param name="LastUpdatedTime">When it was last changed.</param>
/// <param name="ETag">Changes on every update.</param>
/// <param name="Metrics">The system and custom counts as last computed.</param>
/// <param name="Rollout">For an update deployment's configuration going in waves: the devices released so far.</param>
/// <param name="Selector">For an update deployment's configuration: the group and device class it is for.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.ConfigurationDefinition")]
public sealed record ConfigurationDefinition(
    [property: Id(0)] string Id,
    [property: Id(1)] IReadOnlyDictionary<string, string> Labels,
    [property: Id(2)] ConfigurationContent Content,
    [property: Id(3)] string TargetCondition,
    [property: Id(4)] int Priority,
    [property: Id(5)] IReadOnlyDictionary<string, string> MetricQueries,
    [property: Id(6)] DateTimeOffset CreatedTime,
    [property: Id(7)] DateTimeOffset LastUpdatedTime,
    [property: Id(8)] string ETag,
    [property: Id(9)] ConfigurationMetrics Metrics,
    [property: Id(10)] ConfigurationRollout? Rollout = null,
    [property: Id(11)] DeviceUpdateSelector? Selector = null);

/// <summary>
/// Which devices an update deployment's configuration is for, decided by the same reading of the agent's report that
/// counts them (so a device is targeted exactly when it is counted): its group, its device class, and for a rollback
/// the devices that failed the deployment rolled back.
/// </summary>
/// <param name="GroupId">The group (the <c>ADUGroup</c> tag, or <c>Default-{deviceClassId}</c>).</param>
/// <param name="DeviceClassId">The device class.</param>
/// <param name="OnlyWorkflowId">When set, only devices whose agent reports this workflow (a rolled-back deployment stays with the devices on it).</param>
/// <param name="FailedWorkflowId">For a rollback: devices whose agent failed this workflow (state 255).</param>
/// <param name="RollbackWorkflowId">For a rollback: its own workflow, so a device on it stays targeted.</param>
/// <param name="Devices">For a rollback: devices named (those that failed the health check).</param>
[GenerateSerializer, Immutable, Alias("devicefabric.DeviceUpdateSelector")]
public sealed record DeviceUpdateSelector(
    [property: Id(0)] string GroupId,
    [property: Id(1)] string DeviceClassId,
    [property: Id(2)] string? OnlyWorkflowId,
    [property: Id(3)] string? FailedWorkflowId,
    [property: Id(4)] string? RollbackWorkflowId,
    [property: Id(5)] IReadOnlyList<string> Devices)
{
    /// <summary>Whether two selectors select the same devices.</summary>
    public bool Same(DeviceUpdateSelector? other) =>
        other is not null && this with { Devices = [] } == other with { Devices = [] } && Devices.SequenceEqual(other.Devices, StringComparer.Ordinal);
}

/// <summary>
/// A staged release over the devices a configuration's condition targets: a device is targeted only while the hash
/// of <see cref="Seed"/> and its id is under <see cref="Below"/> (so raising it releases more devices, in a fixed
/// pseudo-random order). Only update deployments' configurations carry one.
/// </summary>
/// <param name="Seed">Mixed into each device's hash, so each deployment orders devices its own way.</param>
/// <param name="Below">Devices whose hash is under it are released; 2^32 releases all.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.ConfigurationRollout")]
public sealed record ConfigurationRollout([property: Id(0)] string Seed, [property: Id(1)] long Below)
{
    /// <summary>Releases every device.</summary>
    public const long All = 1L << 32;

    /// <summary>A device's place in the order: under <see cref="Below"/> means released.</summary>
    public static long PlaceOf(string seed, string deviceId) => DeviceFabric.StableHash.Of(string.Concat(seed, "/", deviceId));

    /// <summary>Whether a device is released.</summary>
    public bool Releases(string deviceId) => PlaceOf(Seed, deviceId) < Below;
}

/// <summary>What a caller sets on a configuration: everything but its id, times, etag and metrics.</summary>
/// <param name="Labels">Free labels.</param>
/// <param name="Content">What it writes (ignored on update: content cannot change).</param>
/// <param name="TargetCondition">Which twins it targets.</param>
/// <param name="Priority">Higher wins.</param>
/// <param name="MetricQueries">Custom metric queries by name (at most five).</param>
[GenerateSerializer, Immutable, Alias("devicefabric.ConfigurationSettings")]
public sealed record ConfigurationSettings(
    [property: Id(0)] IReadOnlyDictionary<string, string> Labels,
    [property: Id(1)] ConfigurationContent Content,
    [property: Id(2)] string TargetCondition,
    [property: Id(3)] int Priority,
    [property: Id(4)] IReadOnlyDictionary<string, string> MetricQueries);

/// <summary>A configuration's counts: the system ones (<c>targetedCount</c>, <c>appliedCount</c>, and for deployments <c>reportedSuccessfulCount</c>, <c>reportedFailedCount</c>) and the custom ones.</summary>
/// <param name="SystemQueries">The queries behind the system counts.</param>
/// <param name="SystemResults">The system counts.</param>
/// <param name="Results">The custom counts by metric name.</param>
/// <param name="ComputedAt">When they were computed; default before the first time.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.ConfigurationMetrics")]
public sealed record ConfigurationMetrics(
    [property: Id(0)] IReadOnlyDictionary<string, string> SystemQueries,
    [property: Id(1)] IReadOnlyDictionary<string, long> SystemResults,
    [property: Id(2)] IReadOnlyDictionary<string, long> Results,
    [property: Id(3)] DateTimeOffset ComputedAt);

/// <summary>A hub's configurations at one version, for the twins that apply them.</summary>
/// <param name="Version">Grows with every change.</param>
/// <param name="Definitions">The configurations; null when the caller already holds <paramref name="Version"/>.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.ConfigurationCatalogSnapshot")]
public sealed record ConfigurationCatalogSnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] IReadOnlyList<ConfigurationDefinition>? Definitions);

/// <summary>The answer of <c>testQueries</c>: each error as text, empty when the query is valid.</summary>
/// <param name="TargetConditionError">The target condition's error, or empty.</param>
/// <param name="CustomMetricQueryErrors">Each metric query's error, or empty, by name.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.ConfigurationQueryErrors")]
public sealed record ConfigurationQueryErrors(
    [property: Id(0)] string TargetConditionError,
    [property: Id(1)] IReadOnlyDictionary<string, string> CustomMetricQueryErrors);
