namespace DeviceFabric.Contracts.Updates;

/// <summary>A deployment in Device Update's JSON (<c>.../management/groups/{groupId}/deployments/{deploymentId}</c>), with the fabric's rollout and health check.</summary>
public sealed class DeploymentJson
{
    /// <summary>Its id.</summary>
    public string? DeploymentId { get; set; }

    /// <summary>When devices start to get it.</summary>
    public DateTimeOffset? StartDateTime { get; set; }

    /// <summary>The update deployed.</summary>
    public UpdateInfoJson? Update { get; set; }

    /// <summary>The group.</summary>
    public string? GroupId { get; set; }

    /// <summary>The compatible device classes of the group, as last seen.</summary>
    public List<string>? DeviceClassSubgroups { get; set; }

    /// <summary>Canceled.</summary>
    public bool IsCanceled { get; set; }

    /// <summary>Retried.</summary>
    public bool IsRetried { get; set; }

    /// <summary>Device Update's cloud-initiated rollback policy.</summary>
    public RollbackPolicyJson? RollbackPolicy { get; set; }

    /// <summary>A rollback the fabric started.</summary>
    public bool IsCloudInitiatedRollback { get; set; }

    /// <summary>Waves (the fabric's own).</summary>
    public RolloutJson? Rollout { get; set; }

    /// <summary>The health confirmation (the fabric's own).</summary>
    public HealthCheckJson? HealthCheck { get; set; }

    /// <summary>The fabric's state: NotStarted, Active, Halted, RolledBack, Canceled, Inactive.</summary>
    public string? State { get; set; }

    /// <summary>Waves released so far.</summary>
    public int? WavesReleased { get; set; }

    /// <summary>The rollback started for it, if any.</summary>
    public string? RollbackDeploymentId { get; set; }

    /// <summary>The workflow id devices get.</summary>
    public string? WorkflowId { get; set; }
}

/// <summary>An update named by its id.</summary>
public sealed class UpdateInfoJson
{
    /// <summary>Provider, name and version.</summary>
    public UpdateIdJson? UpdateId { get; set; }
}

/// <summary>Device Update's rollback policy.</summary>
public sealed class RollbackPolicyJson
{
    /// <summary>The update failed devices get.</summary>
    public UpdateInfoJson? Update { get; set; }

    /// <summary>The threshold: both must be crossed.</summary>
    public FailureJson? Failure { get; set; }
}

/// <summary>A rollback threshold.</summary>
public sealed class FailureJson
{
    /// <summary>Percent of the released devices.</summary>
    public int DevicesFailedPercentage { get; set; }

    /// <summary>Number of devices.</summary>
    public int DevicesFailedCount { get; set; }
}

/// <summary>A staged rollout.</summary>
public sealed class RolloutJson
{
    /// <summary>The waves, each a deviceCount or a percentage of the group.</summary>
    public List<WaveJson>? Waves { get; set; }

    /// <summary>Seconds to wait after a wave settles before the next.</summary>
    public int WaitBetweenWavesInSeconds { get; set; }

    /// <summary>A wave starts only while the released devices' failure rate is under this percentage (default 100).</summary>
    public int? MaxFailedPercentage { get; set; }
}

/// <summary>One wave.</summary>
public sealed class WaveJson
{
    /// <summary>Devices in it.</summary>
    public int? DeviceCount { get; set; }

    /// <summary>Percent of the group in it.</summary>
    public int? Percentage { get; set; }
}

/// <summary>A health confirmation.</summary>
public sealed class HealthCheckJson
{
    /// <summary>A query condition on the device twin.</summary>
    public string? Condition { get; set; }

    /// <summary>The window after success, in seconds.</summary>
    public int WindowInSeconds { get; set; }
}

/// <summary>A deployment's status (<c>.../deployments/{deploymentId}/status</c>).</summary>
public sealed class DeploymentStatusJson
{
    /// <summary>The group.</summary>
    public string? GroupId { get; set; }

    /// <summary>The deployment.</summary>
    public string? DeploymentId { get; set; }

    /// <summary>Active, ActiveWithSubgroupFailures, Failed, Inactive or Canceled.</summary>
    public string? DeploymentState { get; set; }

    /// <summary>The fabric's own state.</summary>
    public string? State { get; set; }

    /// <summary>Each compatible device class.</summary>
    public List<SubgroupStatusJson>? SubgroupStatus { get; set; }

    /// <summary>Devices of the group the update is not for.</summary>
    public long DevicesIncompatibleCount { get; set; }

    /// <summary>Waves released.</summary>
    public int WavesReleased { get; set; }

    /// <summary>Waves in all.</summary>
    public int TotalWaves { get; set; }

    /// <summary>When counted.</summary>
    public DateTimeOffset ComputedDateTime { get; set; }
}

/// <summary>One device class's status.</summary>
public sealed class SubgroupStatusJson
{
    /// <summary>The group.</summary>
    public string? GroupId { get; set; }

    /// <summary>The class.</summary>
    public string? DeviceClassId { get; set; }

    /// <summary>Active, Failed, Inactive or Canceled.</summary>
    public string? DeploymentState { get; set; }

    /// <summary>Devices of the class in the group.</summary>
    public long TotalDevices { get; set; }

    /// <summary>Not started.</summary>
    public long DevicesNotStartedCount { get; set; }

    /// <summary>In progress (confirming health included).</summary>
    public long DevicesInProgressCount { get; set; }

    /// <summary>Failed.</summary>
    public long DevicesCompletedFailedCount { get; set; }

    /// <summary>Succeeded.</summary>
    public long DevicesCompletedSucceededCount { get; set; }

    /// <summary>Canceled.</summary>
    public long DevicesCanceledCount { get; set; }
}

/// <summary>One device of a deployment (<c>.../devicestates</c>).</summary>
public sealed class DeviceStateJson
{
    /// <summary>The device.</summary>
    public string? DeviceId { get; set; }

    /// <summary>Its class.</summary>
    public string? DeviceClassId { get; set; }

    /// <summary>Times the deployment was retried.</summary>
    public int RetryCount { get; set; }

    /// <summary>It has since got another deployment.</summary>
    public bool MovedOnToNewDeployment { get; set; }

    /// <summary>NotStarted, Incompatible, InProgress, Failed, Succeeded or Canceled.</summary>
    public string? DeviceState { get; set; }

    /// <summary>Its agent's result code.</summary>
    public int? ResultCode { get; set; }

    /// <summary>Its agent's extended result codes.</summary>
    public string? ExtendedResultCodes { get; set; }

    /// <summary>Failed the health check.</summary>
    public bool HealthCheckFailed { get; set; }

    /// <summary>Its agent's result per step.</summary>
    public System.Text.Json.JsonElement? StepResults { get; set; }
}

/// <summary>A group (<c>/management/groups/{groupId}</c>).</summary>
public sealed class GroupJson
{
    /// <summary>Its id.</summary>
    public string? GroupId { get; set; }

    /// <summary>IoTHubTag or DefaultNoTag.</summary>
    public string? GroupType { get; set; }

    /// <summary>Devices in it.</summary>
    public long DeviceCount { get; set; }

    /// <summary>Its device classes.</summary>
    public List<string>? DeviceClassIds { get; set; }

    /// <summary>Its active deployment.</summary>
    public List<string>? Deployments { get; set; }
}

/// <summary>A device class (<c>/management/deviceClasses/{id}</c>).</summary>
public sealed class DeviceClassJson
{
    /// <summary>Its id.</summary>
    public string? DeviceClassId { get; set; }

    /// <summary>Its compatibility properties.</summary>
    public DeviceClassPropertiesJson? DeviceClassProperties { get; set; }

    /// <summary>Devices of the class.</summary>
    public long DeviceCount { get; set; }
}

/// <summary>A class's properties.</summary>
public sealed class DeviceClassPropertiesJson
{
    /// <summary>The compatibility properties and values.</summary>
    public Dictionary<string, string>? CompatProperties { get; set; }
}
