using DeviceFabric.Updates;

namespace DeviceFabric.Contracts.Updates;

/// <summary>Maps deployments between Device Update's JSON and the fabric's records.</summary>
public static class DeploymentMapper
{
    /// <summary>
    /// The spec a body asks for; fields the path gives (the deployment and group ids) win when the body leaves them
    /// out, and must agree when it does not. Missing fields are refused by name.
    /// </summary>
    public static UpdateDeploymentSpec ToSpec(DeploymentJson body, string groupId, string deploymentId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.DeploymentId is { } id && id != deploymentId)
        {
            throw Invalid($"deploymentId is {id}, but the path names {deploymentId}.");
        }

        if (body.GroupId is { } group && group != groupId)
        {
            throw Invalid($"groupId is {group}, but the path names {groupId}.");
        }

        var rollout = body.Rollout is { } r
            ? new UpdateRollout(
                [.. (r.Waves ?? throw Invalid("rollout.waves is required.")).Select(w => new UpdateWave(w.DeviceCount, w.Percentage))],
                TimeSpan.FromSeconds(r.WaitBetweenWavesInSeconds),
                r.MaxFailedPercentage ?? 100)
            : null;
        var rollback = body.RollbackPolicy is { } p
            ? new UpdateRollbackPolicy(
                UpdateIdOf(p.Update, "rollbackPolicy.update.updateId"),
                (p.Failure ?? throw Invalid("rollbackPolicy.failure is required.")).DevicesFailedPercentage,
                p.Failure.DevicesFailedCount)
            : null;
        var health = body.HealthCheck is { } h
            ? new UpdateHealthCheck(h.Condition ?? throw Invalid("healthCheck.condition is required."), TimeSpan.FromSeconds(h.WindowInSeconds))
            : null;
        return new UpdateDeploymentSpec(deploymentId, groupId, body.StartDateTime ?? now, UpdateIdOf(body.Update, "update.updateId"), rollback, rollout, health);
    }

    /// <summary>A deployment as Device Update shows it, with the fabric's fields.</summary>
    public static DeploymentJson ToJson(UpdateDeployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var spec = deployment.Spec;
        return new DeploymentJson
        {
            DeploymentId = spec.DeploymentId,
            StartDateTime = spec.StartDateTime,
            Update = new UpdateInfoJson { UpdateId = UpdateMapper.ToJson(spec.Update) },
            GroupId = spec.GroupId,
            DeviceClassSubgroups = [.. deployment.DeviceClassSubgroups],
            IsCanceled = deployment.IsCanceled,
            IsRetried = deployment.IsRetried,
            RollbackPolicy = spec.RollbackPolicy is { } p
                ? new RollbackPolicyJson
                {
                    Update = new UpdateInfoJson { UpdateId = UpdateMapper.ToJson(p.Update) },
                    Failure = new FailureJson { DevicesFailedPercentage = p.DevicesFailedPercentage, DevicesFailedCount = p.DevicesFailedCount },
                }
                : null,
            IsCloudInitiatedRollback = deployment.IsCloudInitiatedRollback,
            Rollout = spec.Rollout is { } r
                ? new RolloutJson
                {
                    Waves = [.. r.Waves.Select(w => new WaveJson { DeviceCount = w.DeviceCount, Percentage = w.Percentage })],
                    WaitBetweenWavesInSeconds = (int)r.WaitBetweenWaves.TotalSeconds,
                    MaxFailedPercentage = r.MaxFailedPercentage,
                }
                : null,
            HealthCheck = spec.HealthCheck is { } h ? new HealthCheckJson { Condition = h.Condition, WindowInSeconds = (int)h.Window.TotalSeconds } : null,
            State = deployment.State.ToString(),
            WavesReleased = deployment.WavesReleased,
            RollbackDeploymentId = deployment.RollbackDeploymentId,
            WorkflowId = deployment.WorkflowId,
        };
    }

    /// <summary>A status as Device Update shows it.</summary>
    public static DeploymentStatusJson ToJson(UpdateDeploymentStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new DeploymentStatusJson
        {
            GroupId = status.GroupId,
            DeploymentId = status.DeploymentId,
            DeploymentState = status.DeploymentState,
            State = status.State.ToString(),
            SubgroupStatus = [.. status.Subgroups.Select(s => ToJson(status.GroupId, s))],
            DevicesIncompatibleCount = status.DevicesIncompatibleCount,
            WavesReleased = status.WavesReleased,
            TotalWaves = status.TotalWaves,
            ComputedDateTime = status.ComputedAt,
        };
    }

    /// <summary>A device class's status.</summary>
    public static SubgroupStatusJson ToJson(string groupId, UpdateSubgroupStatus subgroup)
    {
        ArgumentNullException.ThrowIfNull(subgroup);
        return new SubgroupStatusJson
        {
            GroupId = groupId,
            DeviceClassId = subgroup.DeviceClassId,
            DeploymentState = subgroup.DeploymentState,
            TotalDevices = subgroup.TotalDevices,
            DevicesNotStartedCount = subgroup.DevicesNotStartedCount,
            DevicesInProgressCount = subgroup.DevicesInProgressCount,
            DevicesCompletedFailedCount = subgroup.DevicesCompletedFailedCount,
            DevicesCompletedSucceededCount = subgroup.DevicesCompletedSucceededCount,
            DevicesCanceledCount = subgroup.DevicesCanceledCount,
        };
    }

    /// <summary>A device's state.</summary>
    public static DeviceStateJson ToJson(UpdateDeviceStatus device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return new DeviceStateJson
        {
            DeviceId = device.DeviceId,
            DeviceClassId = device.DeviceClassId,
            RetryCount = device.RetryCount,
            MovedOnToNewDeployment = device.MovedOnToNewDeployment,
            DeviceState = device.DeviceState.ToString(),
            ResultCode = device.ResultCode,
            ExtendedResultCodes = device.ExtendedResultCodes,
            HealthCheckFailed = device.HealthCheckFailed,
            StepResults = device.StepResults is { } steps ? System.Text.Json.JsonDocument.Parse(steps).RootElement.Clone() : null,
        };
    }

    /// <summary>A group.</summary>
    public static GroupJson ToJson(UpdateGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        return new GroupJson
        {
            GroupId = group.GroupId,
            GroupType = group.GroupType,
            DeviceCount = group.DeviceCount,
            DeviceClassIds = [.. group.DeviceClassIds],
            Deployments = group.DeploymentId is { } d ? [d] : [],
        };
    }

    /// <summary>A device class.</summary>
    public static DeviceClassJson ToJson(UpdateDeviceClass deviceClass)
    {
        ArgumentNullException.ThrowIfNull(deviceClass);
        return new DeviceClassJson
        {
            DeviceClassId = deviceClass.DeviceClassId,
            DeviceClassProperties = new DeviceClassPropertiesJson { CompatProperties = new Dictionary<string, string>(deviceClass.CompatProperties) },
            DeviceCount = deviceClass.DeviceCount,
        };
    }

    private static UpdateId UpdateIdOf(UpdateInfoJson? info, string field) =>
        info?.UpdateId is { Provider: { } provider, Name: { } name, Version: { } version }
            ? new UpdateId(provider, name, version)
            : throw Invalid($"{field} needs provider, name and version.");

    private static DeviceFabricException Invalid(string message) => new(DeviceFabricErrorCode.ArgumentInvalid, message);
}
