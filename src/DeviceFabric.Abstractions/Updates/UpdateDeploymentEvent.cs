namespace DeviceFabric.Updates;

/// <summary>Something happened to a deployment; published on the hub's updates stream (<c>FabricStreams.UpdatesNamespace</c>).</summary>
/// <param name="Hub">The hub.</param>
/// <param name="GroupId">The group.</param>
/// <param name="DeploymentId">The deployment.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Status">Its status after it, when counted.</param>
/// <param name="Time">When.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.UpdateDeploymentEvent")]
public sealed record UpdateDeploymentEvent(
    [property: Id(0)] string Hub,
    [property: Id(1)] string GroupId,
    [property: Id(2)] string DeploymentId,
    [property: Id(3)] UpdateDeploymentEventKind Kind,
    [property: Id(4)] UpdateDeploymentStatus? Status,
    [property: Id(5)] DateTimeOffset Time);

/// <summary>What an <see cref="UpdateDeploymentEvent"/> reports.</summary>
public enum UpdateDeploymentEventKind
{
    /// <summary>Created.</summary>
    Created,

    /// <summary>Its start time came: devices get it.</summary>
    Started,

    /// <summary>A further wave was released.</summary>
    WaveReleased,

    /// <summary>A wave's failure rate halted the rollout.</summary>
    Halted,

    /// <summary>The rollback policy's threshold was crossed; the rollback started.</summary>
    RolledBack,

    /// <summary>Canceled, for the group or a device class.</summary>
    Canceled,

    /// <summary>Retried.</summary>
    Retried,

    /// <summary>A newer deployment replaced it.</summary>
    Inactive,

    /// <summary>Deleted.</summary>
    Deleted,

    /// <summary>Its counts changed.</summary>
    StatusChanged,
}
