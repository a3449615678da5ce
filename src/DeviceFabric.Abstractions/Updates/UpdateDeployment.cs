namespace DeviceFabric.Updates;

/// <summary>A deployment as the fabric keeps it: what was asked and where it stands.</summary>
/// <param name="Spec">What the operator asked.</param>
/// <param name="WorkflowId">The workflow id devices get in <c>deviceUpdate.service.workflow.id</c>.</param>
/// <param name="CreatedDateTime">When it was created.</param>
/// <param name="State">Where it stands.</param>
/// <param name="IsCanceled">Canceled (for the whole group or some device classes).</param>
/// <param name="CanceledDeviceClasses">The device classes canceled; all of them when the whole deployment was.</param>
/// <param name="IsRetried">Retried at least once.</param>
/// <param name="RetryTimestamp">The retry token devices got with the last retry, if any.</param>
/// <param name="RetryCount">How many times it was retried.</param>
/// <param name="IsCloudInitiatedRollback">A rollback the fabric started for a failing deployment.</param>
/// <param name="RollbackDeploymentId">The rollback the fabric started for this one, if any.</param>
/// <param name="WavesReleased">How many waves have been released (1 once a deployment without waves started).</param>
/// <param name="DeviceClassSubgroups">The device classes of the group compatible with the update, as last seen.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.UpdateDeployment")]
public sealed record UpdateDeployment(
    [property: Id(0)] UpdateDeploymentSpec Spec,
    [property: Id(1)] string WorkflowId,
    [property: Id(2)] DateTimeOffset CreatedDateTime,
    [property: Id(3)] UpdateDeploymentState State,
    [property: Id(4)] bool IsCanceled,
    [property: Id(5)] IReadOnlyList<string> CanceledDeviceClasses,
    [property: Id(6)] bool IsRetried,
    [property: Id(7)] DateTimeOffset? RetryTimestamp,
    [property: Id(8)] int RetryCount,
    [property: Id(9)] bool IsCloudInitiatedRollback,
    [property: Id(10)] string? RollbackDeploymentId,
    [property: Id(11)] int WavesReleased,
    [property: Id(12)] IReadOnlyList<string> DeviceClassSubgroups)
{
    /// <summary>The number of waves: one for a deployment without them.</summary>
    public int TotalWaves => Spec.Rollout?.Waves.Count ?? 1;
}

/// <summary>Where a deployment stands, as Device Update names it, plus the fabric's own rollout states.</summary>
public enum UpdateDeploymentState
{
    /// <summary>Its start time has not come.</summary>
    NotStarted,

    /// <summary>Released to its group (or to the waves so far).</summary>
    Active,

    /// <summary>A wave's failure rate went over the rollout's threshold: no further wave starts.</summary>
    Halted,

    /// <summary>Its rollback policy's threshold was crossed: the remaining waves stopped and its failed devices got the rollback.</summary>
    RolledBack,

    /// <summary>Canceled: devices got the cancel action. Final.</summary>
    Canceled,

    /// <summary>A newer deployment replaced it for the group.</summary>
    Inactive,
}

/// <summary>What a device is doing about a deployment, as Device Update reports it per device.</summary>
public enum UpdateDeviceState
{
    /// <summary>Not released to it yet, or it has not begun.</summary>
    NotStarted,

    /// <summary>Its compatibility properties match none of the update's.</summary>
    Incompatible,

    /// <summary>It is working on it (or, after reporting success, confirming its health).</summary>
    InProgress,

    /// <summary>It reported failure, or failed its health confirmation.</summary>
    Failed,

    /// <summary>It installed the update (and, with a health check, passed it).</summary>
    Succeeded,

    /// <summary>The deployment was canceled for it.</summary>
    Canceled,
}
