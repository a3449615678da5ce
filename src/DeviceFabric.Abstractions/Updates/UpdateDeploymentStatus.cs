namespace DeviceFabric.Updates;

/// <summary>A deployment's status across its group, as last counted.</summary>
/// <param name="GroupId">The group.</param>
/// <param name="DeploymentId">The deployment.</param>
/// <param name="DeploymentState">Device Update's group state: <c>Active</c>, <c>ActiveWithSubgroupFailures</c>, <c>Failed</c>, <c>Inactive</c>, <c>Canceled</c>.</param>
/// <param name="State">The fabric's own state, with the rollout's.</param>
/// <param name="Subgroups">Each compatible device class.</param>
/// <param name="DevicesIncompatibleCount">Devices of the group whose class the update is not for.</param>
/// <param name="WavesReleased">Waves released so far.</param>
/// <param name="TotalWaves">Waves in all.</param>
/// <param name="ComputedAt">When the counts were taken.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.UpdateDeploymentStatus")]
public sealed record UpdateDeploymentStatus(
    [property: Id(0)] string GroupId,
    [property: Id(1)] string DeploymentId,
    [property: Id(2)] string DeploymentState,
    [property: Id(3)] UpdateDeploymentState State,
    [property: Id(4)] IReadOnlyList<UpdateSubgroupStatus> Subgroups,
    [property: Id(5)] long DevicesIncompatibleCount,
    [property: Id(6)] int WavesReleased,
    [property: Id(7)] int TotalWaves,
    [property: Id(8)] DateTimeOffset ComputedAt);

/// <summary>One device class of a deployment's group.</summary>
[GenerateSerializer, Immutable, Alias("devicefabric.UpdateSubgroupStatus")]
public sealed record UpdateSubgroupStatus(
    [property: Id(0)] string DeviceClassId,
    [property: Id(1)] string DeploymentState,
    [property: Id(2)] long TotalDevices,
    [property: Id(3)] long DevicesNotStartedCount,
    [property: Id(4)] long DevicesInProgressCount,
    [property: Id(5)] long DevicesCompletedFailedCount,
    [property: Id(6)] long DevicesCompletedSucceededCount,
    [property: Id(7)] long DevicesCanceledCount);

/// <summary>One device of a deployment.</summary>
/// <param name="DeviceId">The device.</param>
/// <param name="DeviceClassId">Its device class.</param>
/// <param name="DeviceState">What it is doing about the deployment.</param>
/// <param name="RetryCount">How many times the deployment was retried.</param>
/// <param name="MovedOnToNewDeployment">It has since got another deployment of its group.</param>
/// <param name="ResultCode">Its agent's last <c>lastInstallResult.resultCode</c> for the deployment, if any.</param>
/// <param name="ExtendedResultCodes">Its agent's last extended result codes for the deployment, if any.</param>
/// <param name="HealthCheckFailed">It reported success but failed the health confirmation.</param>
/// <param name="StepResults">Its agent's result per step (<c>lastInstallResult.stepResults</c>, JSON) for the deployment, if any.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.UpdateDeviceStatus")]
public sealed record UpdateDeviceStatus(
    [property: Id(0)] string DeviceId,
    [property: Id(1)] string DeviceClassId,
    [property: Id(2)] UpdateDeviceState DeviceState,
    [property: Id(3)] int RetryCount,
    [property: Id(4)] bool MovedOnToNewDeployment,
    [property: Id(5)] int? ResultCode,
    [property: Id(6)] string? ExtendedResultCodes,
    [property: Id(7)] bool HealthCheckFailed,
    [property: Id(8)] string? StepResults = null);

/// <summary>A group of devices with the Device Update agent: a value of their <c>ADUGroup</c> tag, or a default group.</summary>
/// <param name="GroupId">The tag value, or <c>Default-{deviceClassId}</c>.</param>
/// <param name="GroupType"><c>IoTHubTag</c> or <c>DefaultNoTag</c>.</param>
/// <param name="DeviceCount">Devices in it.</param>
/// <param name="DeviceClassIds">The device classes of its devices.</param>
/// <param name="DeploymentId">Its active deployment, if any.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.UpdateGroup")]
public sealed record UpdateGroup(
    [property: Id(0)] string GroupId,
    [property: Id(1)] string GroupType,
    [property: Id(2)] long DeviceCount,
    [property: Id(3)] IReadOnlyList<string> DeviceClassIds,
    [property: Id(4)] string? DeploymentId);

/// <summary>A device class: devices whose agents report the same compatibility properties.</summary>
/// <param name="DeviceClassId">Derived from the properties (see <see cref="DeviceClasses"/>).</param>
/// <param name="CompatProperties">The properties named in <c>compatPropertyNames</c>, with their values.</param>
/// <param name="DeviceCount">Devices of the class.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.UpdateDeviceClass")]
public sealed record UpdateDeviceClass(
    [property: Id(0)] string DeviceClassId,
    [property: Id(1)] IReadOnlyDictionary<string, string> CompatProperties,
    [property: Id(2)] long DeviceCount);
