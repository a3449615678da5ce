namespace DeviceFabric.Updates;

/// <summary>
/// What an operator asks of a deployment: an update for a group, from a start time, optionally in waves, with a
/// health confirmation and a rollback policy. Device Update's deployment, plus the waves and the health check.
/// </summary>
/// <param name="DeploymentId">1-64 letters, digits, dots, hyphens or underscores.</param>
/// <param name="GroupId">The group: a value of the twin tag <c>ADUGroup</c>, or <c>Default-{deviceClassId}</c> for untagged devices of a class.</param>
/// <param name="StartDateTime">When devices start to get it; earlier or now starts it at once.</param>
/// <param name="Update">The imported update to deploy.</param>
/// <param name="RollbackPolicy">When too many devices fail: the update failed devices get instead.</param>
/// <param name="Rollout">Waves; null releases the whole group at once.</param>
/// <param name="HealthCheck">What a device that reports success must show to count as succeeded; null trusts the report.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.UpdateDeploymentSpec")]
public sealed record UpdateDeploymentSpec(
    [property: Id(0)] string DeploymentId,
    [property: Id(1)] string GroupId,
    [property: Id(2)] DateTimeOffset StartDateTime,
    [property: Id(3)] UpdateId Update,
    [property: Id(4)] UpdateRollbackPolicy? RollbackPolicy,
    [property: Id(5)] UpdateRollout? Rollout,
    [property: Id(6)] UpdateHealthCheck? HealthCheck);

/// <summary>
/// Device Update's cloud-initiated rollback: once at least <paramref name="DevicesFailedCount"/> devices and at least
/// <paramref name="DevicesFailedPercentage"/> percent of the devices released so far have failed, the remaining waves
/// stop and the failed devices get <paramref name="Update"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("devicefabric.UpdateRollbackPolicy")]
public sealed record UpdateRollbackPolicy(
    [property: Id(0)] UpdateId Update,
    [property: Id(1)] int DevicesFailedPercentage,
    [property: Id(2)] int DevicesFailedCount);

/// <summary>
/// A staged rollout: each wave releases a count or a percentage of the group's compatible devices (cumulatively, in a
/// fixed pseudo-random order), and the next starts once none of the released devices is still in progress,
/// <paramref name="WaitBetweenWaves"/> has passed since, and the released devices' failure rate is under
/// <paramref name="MaxFailedPercentage"/>; a wave over it halts the rollout.
/// </summary>
[GenerateSerializer, Immutable, Alias("devicefabric.UpdateRollout")]
public sealed record UpdateRollout(
    [property: Id(0)] IReadOnlyList<UpdateWave> Waves,
    [property: Id(1)] TimeSpan WaitBetweenWaves,
    [property: Id(2)] int MaxFailedPercentage);

/// <summary>One wave: a number of devices or a percentage of the group (exactly one of them).</summary>
[GenerateSerializer, Immutable, Alias("devicefabric.UpdateWave")]
public sealed record UpdateWave([property: Id(0)] int? DeviceCount, [property: Id(1)] int? Percentage);

/// <summary>
/// A device that reports success is confirming for <paramref name="Window"/>: it must be connected and meet
/// <paramref name="Condition"/> (a query condition on its twin, such as <c>properties.reported.health.status = 'ok'</c>)
/// by the time the window closes and stay so whenever it is looked at, or it counts as failed.
/// </summary>
[GenerateSerializer, Immutable, Alias("devicefabric.UpdateHealthCheck")]
public sealed record UpdateHealthCheck([property: Id(0)] string Condition, [property: Id(1)] TimeSpan Window);
