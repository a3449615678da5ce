using DeviceFabric.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DeviceFabric.Updates;

/// <summary>
/// One group's deployments. A write is checked, stored, then made the group's configurations (one per device class,
/// <see cref="UpdateDeploymentConfigurations"/>), so the twins apply it themselves; it returns once both are stored. The
/// rollout (waves, health, rollback) runs on a timer in <c>UpdateGroupGrain.Rollout.cs</c>; counts in <c>.Status.cs</c>.
/// </summary>
internal sealed partial class UpdateGroupGrain(
    [PersistentState("updategroup", GrainStorage.Name)] IPersistentState<UpdateGroupState> state,
    Hosting.GrainClock clock,
    IOptions<UpdateOptions> options,
    UpdateDownloadUrls urls,
    UpdateInstruments instruments,
    Microsoft.Extensions.Hosting.IHostApplicationLifetime lifetime,
    ILogger<UpdateGroupGrain> logger) : Grain, IUpdateGroupGrain, IUpdateGroupControlGrain
{
    private const int MaxKept = 20;

    private string Hub => UpdateGroups.Parse(this.GetPrimaryKeyString()).Hub;

    private string GroupId => UpdateGroups.Parse(this.GetPrimaryKeyString()).GroupId;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _activatedAt = clock.Time.GetUtcNow();
        ScheduleRollout();
        return Task.CompletedTask;
    }

    public Task ResumeAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public async Task<UpdateDeployment> PutDeploymentAsync(UpdateDeploymentSpec spec, CancellationToken cancellationToken = default)
    {
        UpdateDeploymentRules.Validate(spec);
        if (spec.GroupId != GroupId)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"groupId is {spec.GroupId}, but the deployment is put in group {GroupId}.");
        }

        if (state.State.Deployments.TryGetValue(spec.DeploymentId, out var existing))
        {
            if (existing.Deployment.Spec == spec || SameSpec(existing.Deployment.Spec, spec))
            {
                // Asked again (a client retrying): whatever the first call did not finish is done now.
                await Directory.RecordAsync(GroupId, state.State.ActiveId, cancellationToken);
                ScheduleRollout();
                return existing.Deployment;
            }

            throw new DeviceFabricException(DeviceFabricErrorCode.UpdateDeploymentAlreadyExists, $"Deployment {spec.DeploymentId} of group {GroupId} exists with other settings; create a new one.");
        }

        var now = clock.Time.GetUtcNow();
        var record = await NewRecordAsync(spec, now, cloudInitiated: false, cancellationToken);
        if (spec.RollbackPolicy is { } policy)
        {
            // Checked now, so a rollback never waits on an update that is not there.
            await Catalog.GetAsync(policy.Update, cancellationToken);
        }

        // Recorded first, so a restart wakes the group even if the process dies before the deployment is stored.
        await Directory.RecordAsync(GroupId, spec.DeploymentId, cancellationToken);
        var replaced = state.State.ActiveId;
        await SaveAsync(
            s =>
            {
                if (replaced is not null)
                {
                    foreach (var id in new[] { replaced, s.Deployments[replaced].Deployment.RollbackDeploymentId })
                    {
                        if (id is not null && s.Deployments.TryGetValue(id, out var old) && old.Deployment.State is not (UpdateDeploymentState.Canceled or UpdateDeploymentState.Inactive))
                        {
                            old.Deployment = old.Deployment with { State = UpdateDeploymentState.Inactive };
                        }
                    }
                }

                s.Deployments[spec.DeploymentId] = record;
                s.ActiveId = spec.DeploymentId;
                Trim(s);
            },
            cancellationToken);
        if (replaced is not null)
        {
            await AnnounceAsync(replaced, UpdateDeploymentEventKind.Inactive, status: null);
        }

        await AnnounceAsync(spec.DeploymentId, UpdateDeploymentEventKind.Created, status: null);
        LogCreated(logger, Hub, GroupId, spec.DeploymentId, $"{spec.Update.Provider}/{spec.Update.Name}/{spec.Update.Version}");

        // The first pass starts it (or leaves it for its start time) and writes its configurations; the timer is set
        // first, so a pass that fails here is retried by it.
        ScheduleRollout();
        await PassAsync(cancellationToken);
        return state.State.Deployments[spec.DeploymentId].Deployment;
    }

    public Task<UpdateDeployment> GetDeploymentAsync(string deploymentId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Record(deploymentId).Deployment);

    public Task<IReadOnlyList<UpdateDeployment>> ListDeploymentsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<UpdateDeployment>>(
            [.. state.State.Deployments.Values.Select(r => r.Deployment).OrderByDescending(d => d.CreatedDateTime).ThenBy(d => d.Spec.DeploymentId, StringComparer.Ordinal)]);

    public async Task DeleteDeploymentAsync(string deploymentId, CancellationToken cancellationToken = default)
    {
        var record = Record(deploymentId);
        var rollback = record.Deployment.RollbackDeploymentId;
        await SaveAsync(
            s =>
            {
                s.Deployments.Remove(deploymentId);
                if (rollback is not null)
                {
                    s.Deployments.Remove(rollback);
                }

                if (s.ActiveId == deploymentId)
                {
                    s.ActiveId = null;
                }
            },
            cancellationToken);
        await WriteConfigurationsAsync(cancellationToken);
        await Directory.RecordAsync(GroupId, state.State.ActiveId, cancellationToken);
        instruments.Counted(this.GetPrimaryKeyString(), null);
        ScheduleRollout();
        await AnnounceAsync(deploymentId, UpdateDeploymentEventKind.Deleted, status: null);
        LogChanged(logger, Hub, GroupId, deploymentId, "deleted");
    }

    public async Task<UpdateDeployment> CancelAsync(string deploymentId, string? deviceClassId, CancellationToken cancellationToken = default)
    {
        var record = Record(deploymentId);
        var deployment = record.Deployment;
        if (deployment.State == UpdateDeploymentState.Inactive)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"Deployment {deploymentId} is inactive: a newer one replaced it.");
        }

        if (deviceClassId is not null && !record.Classes.ContainsKey(deviceClassId))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.UpdateGroupNotFound, $"Deployment {deploymentId} has no device class subgroup {deviceClassId}.");
        }

        var classes = deviceClassId is null ? record.Classes.Keys.ToList() : [.. deployment.CanceledDeviceClasses.Union([deviceClassId])];
        var whole = deviceClassId is null || record.Classes.Keys.All(classes.Contains);
        await SaveAsync(
            _ => record.Deployment = deployment with
            {
                IsCanceled = whole,
                CanceledDeviceClasses = [.. classes.Order(StringComparer.Ordinal)],
                State = whole ? UpdateDeploymentState.Canceled : deployment.State,
            },
            cancellationToken);
        await WriteConfigurationsAsync(cancellationToken);
        await AnnounceAsync(deploymentId, UpdateDeploymentEventKind.Canceled, status: null);
        LogChanged(logger, Hub, GroupId, deploymentId, deviceClassId is null ? "canceled" : $"canceled for class {deviceClassId}");
        return record.Deployment;
    }

    public async Task<UpdateDeployment> RetryAsync(string deploymentId, string? deviceClassId, CancellationToken cancellationToken = default)
    {
        var record = Record(deploymentId);
        var deployment = record.Deployment;
        if (deployment.State is UpdateDeploymentState.Inactive or UpdateDeploymentState.Canceled or UpdateDeploymentState.RolledBack)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"Deployment {deploymentId} is {deployment.State}: it cannot be retried.");
        }

        if (deviceClassId is not null && (!record.Classes.ContainsKey(deviceClassId) || deployment.CanceledDeviceClasses.Contains(deviceClassId)))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.UpdateGroupNotFound, $"Deployment {deploymentId} has no active device class subgroup {deviceClassId}.");
        }

        var now = clock.Time.GetUtcNow();
        await SaveAsync(
            _ =>
            {
                foreach (var classId in deviceClassId is null ? record.Classes.Keys.Except(deployment.CanceledDeviceClasses) : [deviceClassId])
                {
                    record.RetryByClass[classId] = now;
                }

                // A retried device gets a fresh confirmation; a halted rollout starts again from the wave it was in.
                foreach (var (device, _) in record.HealthFailed.Where(h => deviceClassId is null || h.Value == deviceClassId).ToList())
                {
                    record.HealthFailed.Remove(device);
                }

                foreach (var (device, watch) in record.Confirming.Where(w => deviceClassId is null || w.Value.DeviceClassId == deviceClassId).ToList())
                {
                    record.Confirming.Remove(device);
                }

                record.WaveSettledAt = null;
                record.Deployment = deployment with
                {
                    IsRetried = true,
                    RetryTimestamp = now,
                    RetryCount = deployment.RetryCount + 1,
                    State = deployment.State == UpdateDeploymentState.Halted ? UpdateDeploymentState.Active : deployment.State,
                };
            },
            cancellationToken);
        await WriteConfigurationsAsync(cancellationToken);
        await AnnounceAsync(deploymentId, UpdateDeploymentEventKind.Retried, status: null);
        LogChanged(logger, Hub, GroupId, deploymentId, "retried");
        ScheduleRollout();
        return record.Deployment;
    }

    /// <summary>A record for a new deployment: its update's delivery, with file URLs for devices, fixed for its life.</summary>
    private async Task<UpdateDeploymentRecord> NewRecordAsync(UpdateDeploymentSpec spec, DateTimeOffset now, bool cloudInitiated, CancellationToken cancellationToken)
    {
        var update = await Catalog.GetAsync(spec.Update, cancellationToken);
        if (!update.IsDeployable)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"update.updateId: {spec.Update.Provider}/{spec.Update.Name}/{spec.Update.Version} is not deployable on its own.");
        }

        var (delivery, expiry) = await DeliveryAsync(spec.Update, now, cancellationToken);
        var started = spec.StartDateTime <= now;
        return new UpdateDeploymentRecord
        {
            Deployment = new UpdateDeployment(
                spec, Guid.NewGuid().ToString(), now, started ? UpdateDeploymentState.Active : UpdateDeploymentState.NotStarted,
                IsCanceled: false, CanceledDeviceClasses: [], IsRetried: false, RetryTimestamp: null, RetryCount: 0,
                cloudInitiated, RollbackDeploymentId: null, WavesReleased: 0, DeviceClassSubgroups: []),
            DeliveryJson = delivery,
            UrlsExpireAt = expiry,
            Compatibility = update.Compatibility,
            Below = 0,
        };
    }

    /// <summary>The service object devices get for an update, without its workflow, with file URLs signed from now.</summary>
    private async Task<(string Delivery, DateTimeOffset Expiry)> DeliveryAsync(UpdateId updateId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var update = await Catalog.GetAsync(updateId, cancellationToken);
        var delivery = await Catalog.GetDeliveryAsync(updateId, cancellationToken);
        var expiry = now + options.Value.DownloadUrlLifetime;
        var fileUrls = update.Files.ToDictionary(f => f.FileId, f => urls.For(Hub, f, expiry), StringComparer.Ordinal);
        return (UpdateDeploymentConfigurations.Delivery(delivery, fileUrls), expiry);
    }

    /// <summary>Whether a PUT asks for the deployment as it is; a start time left out (now, each time) is not a difference.</summary>
    private static bool SameSpec(UpdateDeploymentSpec a, UpdateDeploymentSpec b) =>
        a with { Rollout = null, StartDateTime = default } == b with { Rollout = null, StartDateTime = default }
        && (a.Rollout is null) == (b.Rollout is null)
        && (a.Rollout is null || (a.Rollout.Waves.SequenceEqual(b.Rollout!.Waves) && a.Rollout with { Waves = [] } == b.Rollout with { Waves = [] }));

    /// <summary>Keeps the newest deployments; the active one and its rollback always.</summary>
    private static void Trim(UpdateGroupState s)
    {
        var keep = new HashSet<string?>([s.ActiveId, s.ActiveId is null ? null : s.Deployments[s.ActiveId].Deployment.RollbackDeploymentId], StringComparer.Ordinal);
        foreach (var old in s.Deployments.Values.Where(r => !keep.Contains(r.Deployment.Spec.DeploymentId))
            .OrderByDescending(r => r.Deployment.CreatedDateTime).Skip(MaxKept).Select(r => r.Deployment.Spec.DeploymentId).ToList())
        {
            s.Deployments.Remove(old);
        }
    }

    private UpdateDeploymentRecord Record(string deploymentId) =>
        state.State.Deployments.TryGetValue(deploymentId, out var record)
            ? record
            : throw new DeviceFabricException(DeviceFabricErrorCode.UpdateDeploymentNotFound, $"Group {GroupId} has no deployment {deploymentId}.");

    private IUpdateCatalogGrain Catalog => GrainFactory.GetGrain<IUpdateCatalogGrain>(Hub);

    private IUpdateDirectoryGrain Directory => GrainFactory.GetGrain<IUpdateDirectoryGrain>(Hub);

    /// <summary>
    /// Changes the state and stores it; a failed write leaves the grain to start afresh from storage (the records are
    /// changed in place, so the previous state is not kept in memory).
    /// </summary>
    private async Task SaveAsync(Action<UpdateGroupState> change, CancellationToken cancellationToken)
    {
        change(state.State);
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Update deployment {Hub}/{Group}/{Deployment} of {Update} created")]
    private static partial void LogCreated(ILogger logger, string hub, string group, string deployment, string update);

    [LoggerMessage(Level = LogLevel.Information, Message = "Update deployment {Hub}/{Group}/{Deployment} {What}")]
    private static partial void LogChanged(ILogger logger, string hub, string group, string deployment, string what);
}
