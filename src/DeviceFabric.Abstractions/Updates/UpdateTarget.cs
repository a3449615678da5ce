using DeviceFabric.Configurations;

namespace DeviceFabric.Updates;

/// <summary>What a registry shard needs to tell what its devices are doing about one deployment.</summary>
/// <param name="GroupId">The deployment's group.</param>
/// <param name="Update">The update deployed.</param>
/// <param name="Compatibility">The update's compatibility entries.</param>
/// <param name="WorkflowId">The deployment's workflow id.</param>
/// <param name="RollbackWorkflowId">The workflow id of its rollback, if one started: devices on it failed this deployment.</param>
/// <param name="Canceled">Canceled for every class.</param>
/// <param name="CanceledDeviceClasses">The classes it was canceled for.</param>
/// <param name="Rollout">The devices released, when it goes in waves.</param>
/// <param name="HealthCondition">With a health check: its condition (connection included), so devices that report success are sampled.</param>
/// <param name="WithPlaces">Return each compatible device's place in the rollout order.</param>
/// <param name="RollbackOf">For a rollback: the workflow id of the deployment it rolls back; only the devices that
/// failed it (agent state 255), those in <paramref name="Included"/> and those on the rollback are its devices.</param>
/// <param name="Included">For a rollback: devices that failed the health check of the deployment it rolls back.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.UpdateTarget")]
public sealed record UpdateTarget(
    [property: Id(0)] string GroupId,
    [property: Id(1)] UpdateId Update,
    [property: Id(2)] IReadOnlyList<IReadOnlyDictionary<string, string>> Compatibility,
    [property: Id(3)] string WorkflowId,
    [property: Id(4)] string? RollbackWorkflowId,
    [property: Id(5)] bool Canceled,
    [property: Id(6)] IReadOnlyList<string> CanceledDeviceClasses,
    [property: Id(7)] ConfigurationRollout? Rollout,
    [property: Id(8)] string? HealthCondition,
    [property: Id(9)] bool WithPlaces,
    [property: Id(10)] string? RollbackOf,
    [property: Id(11)] IReadOnlyList<string> Included);

/// <summary>One shard's counts for a deployment.</summary>
/// <param name="Classes">Per compatible device class.</param>
/// <param name="Incompatible">Devices of the group whose class the update is not for.</param>
/// <param name="Confirming">With a health check: each device that reported success, and whether it is healthy now.</param>
/// <param name="Places">When asked: each compatible device's place in the rollout order.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.UpdateShardReport")]
public sealed record UpdateShardReport(
    [property: Id(0)] IReadOnlyList<UpdateClassCounts> Classes,
    [property: Id(1)] long Incompatible,
    [property: Id(2)] IReadOnlyList<UpdateHealthSample> Confirming,
    [property: Id(3)] IReadOnlyList<long> Places);

/// <summary>A device class's counts in one shard (or, summed, in the group).</summary>
/// <param name="DeviceClassId">The class.</param>
/// <param name="CompatProperties">Its properties.</param>
/// <param name="Total">Its devices in the group.</param>
/// <param name="Released">Those the rollout has released.</param>
/// <param name="NotStarted">Those not started.</param>
/// <param name="Pending">Released, connected and not started: the deployment is on its way to them.</param>
/// <param name="InProgress">Working on it.</param>
/// <param name="Failed">Failed it.</param>
/// <param name="Succeeded">Reported success (before any health confirmation).</param>
/// <param name="Canceled">Canceled.</param>
/// <param name="ReleasedNotStarted">Released and not started, connected or not.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.UpdateClassCounts")]
public sealed record UpdateClassCounts(
    [property: Id(0)] string DeviceClassId,
    [property: Id(1)] IReadOnlyDictionary<string, string> CompatProperties,
    [property: Id(2)] long Total,
    [property: Id(3)] long Released,
    [property: Id(4)] long NotStarted,
    [property: Id(5)] long Pending,
    [property: Id(6)] long InProgress,
    [property: Id(7)] long Failed,
    [property: Id(8)] long Succeeded,
    [property: Id(9)] long Canceled,
    [property: Id(10)] long ReleasedNotStarted);

/// <summary>A device that reported success under a health check, as sampled.</summary>
[GenerateSerializer, Immutable, Alias("devicefabric.UpdateHealthSample")]
public sealed record UpdateHealthSample(
    [property: Id(0)] string DeviceId,
    [property: Id(1)] string DeviceClassId,
    [property: Id(2)] bool Healthy,
    [property: Id(3)] bool Connected);

/// <summary>How many of a shard's devices with the agent are in a group and class.</summary>
[GenerateSerializer, Immutable, Alias("devicefabric.UpdateMemberCount")]
public sealed record UpdateMemberCount(
    [property: Id(0)] string GroupId,
    [property: Id(1)] bool Tagged,
    [property: Id(2)] string DeviceClassId,
    [property: Id(3)] IReadOnlyDictionary<string, string> CompatProperties,
    [property: Id(4)] long Count);
