using DeviceFabric.Configurations;
using Microsoft.Extensions.Logging;

namespace DeviceFabric.Updates;

/// <summary>
/// The rollout. Every status interval while the group's deployment is live, its devices are counted and the counts
/// decide: the start time came (release the first wave), the wave settled under the failure threshold and its wait
/// passed (release the next), the rollback threshold was crossed (stop the waves, start the rollback), or a wave
/// failed too often (halt). Each decision is stored before the configurations that carry it, so a restart resumes
/// where it was: the next pass writes the configurations again if a crash came between.
/// </summary>
internal sealed partial class UpdateGroupGrain
{
    private IGrainTimer? _timer;
    private DateTimeOffset _activatedAt;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private void ScheduleRollout()
    {
        // Live deployments are passed over until they end; an ended one until its configurations are written once.
        var live = Active is { Deployment.State: UpdateDeploymentState.NotStarted or UpdateDeploymentState.Active or UpdateDeploymentState.Halted or UpdateDeploymentState.RolledBack }
            || (state.State.Deployments.Count > 0 && _writtenConfigurations is null);
        if (!live)
        {
            _timer?.Dispose();
            _timer = null;
            return;
        }

        var interval = options.Value.StatusInterval;
        _timer ??= this.RegisterGrainTimer(
            async _ =>
            {
                try
                {
                    await PassAsync(CancellationToken.None);
                }
                catch (Exception ex) when (lifetime.ApplicationStopping.IsCancellationRequested)
                {
                    // The node is stopping: its shards may be gone already; the next start's pass carries on.
                    LogPassCutShort(logger, ex, Hub, GroupId);
                }
                catch (Exception ex)
                {
                    LogPassFailed(logger, ex, Hub, GroupId);
                }
            },
            new GrainTimerCreationOptions { DueTime = interval, Period = interval, KeepAlive = true });
    }

    private UpdateDeploymentRecord? Active => state.State.ActiveId is { } id ? state.State.Deployments.GetValueOrDefault(id) : null;

    /// <summary>One pass: count, decide, store what changed, write the configurations.</summary>
    private async Task PassAsync(CancellationToken cancellationToken)
    {
        if (Active is not { } record)
        {
            // A delete whose configuration write failed is written again here.
            await WriteConfigurationsAsync(cancellationToken);
            ScheduleRollout();
            return;
        }

        var now = clock.Time.GetUtcNow();
        var deployment = record.Deployment;
        var changed = false;
        var happened = new List<(string Id, UpdateDeploymentEventKind Kind)>();
        if (deployment.State == UpdateDeploymentState.NotStarted && deployment.Spec.StartDateTime <= now)
        {
            record.Deployment = deployment = deployment with { State = UpdateDeploymentState.Active };
            happened.Add((deployment.Spec.DeploymentId, UpdateDeploymentEventKind.Started));
            changed = true;
        }

        if (deployment.State == UpdateDeploymentState.NotStarted)
        {
            return;
        }

        if (deployment.State is UpdateDeploymentState.Canceled or UpdateDeploymentState.Inactive)
        {
            // Nothing to decide; a cancel whose configuration write failed is written again here.
            await WriteConfigurationsAsync(cancellationToken);
            ScheduleRollout();
            return;
        }

        changed |= await RenewUrlsAsync(record, now, cancellationToken);
        var releasing = deployment.State == UpdateDeploymentState.Active && deployment.WavesReleased == 0;
        var count = await CountAsync(record, withPlaces: releasing, decide: true, now, cancellationToken);
        changed |= count.Changed;
        if (releasing)
        {
            Release(record, count.Places, now);
            happened.Add((deployment.Spec.DeploymentId, UpdateDeploymentEventKind.WaveReleased));
            changed = true;
        }
        else if (deployment.State == UpdateDeploymentState.Active)
        {
            changed |= await DecideAsync(record, count, now, happened, cancellationToken);
        }

        if (changed)
        {
            await SaveAsync(_ => { }, cancellationToken);
        }

        await WriteConfigurationsAsync(cancellationToken);
        var status = Restated(record.Deployment, count.Status);
        var previous = _statuses.GetValueOrDefault(deployment.Spec.DeploymentId);
        Remember(deployment.Spec.DeploymentId, status);
        instruments.Counted(this.GetPrimaryKeyString(), status);
        foreach (var (id, kind) in happened)
        {
            await AnnounceAsync(id, kind, id == deployment.Spec.DeploymentId ? status : null);
        }

        if (happened.Count == 0 && previous is not null && !SameCounts(previous, status))
        {
            await AnnounceAsync(deployment.Spec.DeploymentId, UpdateDeploymentEventKind.StatusChanged, status);
        }

        if (record.Deployment.RollbackDeploymentId is { } rollbackId && state.State.Deployments.TryGetValue(rollbackId, out var rollback))
        {
            var rollbackCount = await CountAsync(rollback, withPlaces: false, decide: false, now, cancellationToken);
            Remember(rollbackId, rollbackCount.Status);
        }

        ScheduleRollout();
    }

    /// <summary>After the first wave: rollback, halt, or the next wave, by the counts.</summary>
    private async Task<bool> DecideAsync(
        UpdateDeploymentRecord record, Counted count, DateTimeOffset now, List<(string, UpdateDeploymentEventKind)> happened, CancellationToken cancellationToken)
    {
        var deployment = record.Deployment;
        var released = count.Released;
        var failed = count.Status.Subgroups.Sum(s => s.DevicesCompletedFailedCount);
        if (deployment.Spec.RollbackPolicy is { } policy && released > 0
            && failed >= policy.DevicesFailedCount && failed * 100 >= policy.DevicesFailedPercentage * released)
        {
            await StartRollbackAsync(record, policy, now, cancellationToken);
            happened.Add((deployment.Spec.DeploymentId, UpdateDeploymentEventKind.RolledBack));
            instruments.Event(UpdateDeploymentEventKind.RolledBack);
            LogChanged(logger, Hub, GroupId, deployment.Spec.DeploymentId, $"rolled back: {failed} of {released} released devices failed");
            return true;
        }

        if (deployment.WavesReleased >= deployment.TotalWaves)
        {
            return false;
        }

        // A released device not heard from counts as pending while connected, and for a grace after the wave's release
        // or this activation whether connected or not (connections are not known yet after a restart); after that an
        // offline device no longer holds the next wave back.
        var grace = options.Value.OfflineGrace;
        var since = Max(record.WaveReleasedAt ?? _activatedAt, _activatedAt);
        var pending = count.Status.Subgroups.Sum(s => s.DevicesInProgressCount) + (now - since < grace ? count.Unheard : count.Pending);
        if (pending > 0)
        {
            var wasSettled = record.WaveSettledAt is not null;
            record.WaveSettledAt = null;
            return wasSettled;
        }

        var settledNow = record.WaveSettledAt is null;
        record.WaveSettledAt ??= now;
        var rollout = deployment.Spec.Rollout!;
        if (released > 0 && failed * 100 >= rollout.MaxFailedPercentage * released)
        {
            record.Deployment = deployment with { State = UpdateDeploymentState.Halted };
            happened.Add((deployment.Spec.DeploymentId, UpdateDeploymentEventKind.Halted));
            LogChanged(logger, Hub, GroupId, deployment.Spec.DeploymentId, $"halted: {failed} of {released} released devices failed");
            return true;
        }

        if (now - record.WaveSettledAt < rollout.WaitBetweenWaves)
        {
            return settledNow;
        }

        var places = await CountAsync(record, withPlaces: true, decide: false, now, cancellationToken);
        Release(record, places.Places, now);
        happened.Add((deployment.Spec.DeploymentId, UpdateDeploymentEventKind.WaveReleased));
        return true;
    }

    /// <summary>Releases the next wave: the threshold under which as many devices' places fall as the waves so far ask.</summary>
    private void Release(UpdateDeploymentRecord record, IReadOnlyList<long> places, DateTimeOffset now)
    {
        var deployment = record.Deployment;
        var wave = deployment.WavesReleased + 1;
        record.Below = deployment.Spec.Rollout is not { } rollout || wave >= rollout.Waves.Count
            ? ConfigurationRollout.All
            : Math.Max(record.Below, BelowFor(rollout.Waves.Take(wave), places));
        record.WaveReleasedAt = now;
        record.WaveSettledAt = null;
        record.Deployment = deployment with { WavesReleased = wave };
        instruments.Event(UpdateDeploymentEventKind.WaveReleased);
        LogChanged(logger, Hub, GroupId, deployment.Spec.DeploymentId, $"released wave {wave} of {deployment.TotalWaves}");
    }

    private static long BelowFor(IEnumerable<UpdateWave> waves, IReadOnlyList<long> places)
    {
        var total = places.Count;
        var wanted = waves.Sum(w => w.DeviceCount ?? (long)Math.Ceiling(w.Percentage!.Value * total / 100.0));
        if (wanted <= 0 || total == 0)
        {
            return 0;
        }

        var sorted = places.Order().ToList();
        return sorted[(int)Math.Min(wanted, total) - 1] + 1;
    }

    private async Task StartRollbackAsync(UpdateDeploymentRecord failing, UpdateRollbackPolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Named after the deployment it rolls back; a deployment of that name already there gets a suffix of the workflow.
        var id = failing.Deployment.Spec.DeploymentId + "-rollback";
        if (state.State.Deployments.ContainsKey(id))
        {
            id += "-" + failing.Deployment.WorkflowId[..8];
        }

        var spec = new UpdateDeploymentSpec(id, GroupId, now, policy.Update, RollbackPolicy: null, Rollout: null, HealthCheck: null);
        var rollback = await NewRecordAsync(spec, now, cloudInitiated: true, cancellationToken);
        rollback.RollbackOf = failing.Deployment.WorkflowId;
        foreach (var (classId, properties) in failing.Classes.Where(c => DeviceClasses.Admits(rollback.Compatibility, c.Value)))
        {
            rollback.Classes[classId] = properties;
        }

        rollback.Deployment = rollback.Deployment with { DeviceClassSubgroups = [.. rollback.Classes.Keys.Order(StringComparer.Ordinal)] };
        rollback.Below = ConfigurationRollout.All;
        rollback.Deployment = rollback.Deployment with { WavesReleased = 1 };
        state.State.Deployments[id] = rollback;
        failing.Deployment = failing.Deployment with { State = UpdateDeploymentState.RolledBack, RollbackDeploymentId = id };
    }

    /// <summary>
    /// Signs the file URLs afresh once half their life has passed, so devices that join late or retry never get an
    /// expired one; agents already done ignore the change (same workflow, same retry token).
    /// </summary>
    private async Task<bool> RenewUrlsAsync(UpdateDeploymentRecord record, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var lifetime = options.Value.DownloadUrlLifetime;
        if (record.UrlsExpireAt - now > lifetime / 2)
        {
            return false;
        }

        var (delivery, expiry) = await DeliveryAsync(record.Deployment.Spec.Update, now, cancellationToken);
        record.DeliveryJson = delivery;
        record.UrlsExpireAt = expiry;
        return true;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Update group {Hub}/{Group}: a rollout pass was cut short by the node's stop")]
    private static partial void LogPassCutShort(ILogger logger, Exception exception, string hub, string group);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Update group {Hub}/{Group}: a rollout pass failed; the next one retries")]
    private static partial void LogPassFailed(ILogger logger, Exception exception, string hub, string group);
}
