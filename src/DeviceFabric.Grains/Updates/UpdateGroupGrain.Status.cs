using DeviceFabric.Registry;

namespace DeviceFabric.Updates;

/// <summary>
/// Counting: every registry shard reports what its devices of the group are doing about a deployment, and the grain
/// adds the health confirmation, which needs memory of when each device reported success. Reads serve the last count
/// when it is younger than the status interval.
/// </summary>
internal sealed partial class UpdateGroupGrain
{
    /// <summary>The most device classes one deployment writes configurations for; devices of further classes are counted, not targeted.</summary>
    private const int MaxClasses = 100;

    private readonly Dictionary<string, UpdateDeploymentStatus> _statuses = new(StringComparer.Ordinal);

    /// <summary>A deployment's counts, with what a pass decides by.</summary>
    // Pending: released, not started and connected. Unheard: released and not started, connected or not.
    private sealed record Counted(UpdateDeploymentStatus Status, long Released, long Pending, long Unheard, IReadOnlyList<long> Places, bool Changed);

    public async Task<UpdateDeploymentStatus> GetStatusAsync(string deploymentId, CancellationToken cancellationToken = default)
    {
        var record = Record(deploymentId);
        var now = clock.Time.GetUtcNow();
        if (_statuses.TryGetValue(deploymentId, out var known) && now - known.ComputedAt < options.Value.StatusInterval)
        {
            return known;
        }

        if (deploymentId == state.State.ActiveId && record.Deployment.State != UpdateDeploymentState.Canceled)
        {
            await PassAsync(cancellationToken);
            if (_statuses.TryGetValue(deploymentId, out var passed))
            {
                return passed;
            }
        }

        var count = await CountAsync(record, withPlaces: false, decide: false, now, cancellationToken);
        Remember(deploymentId, count.Status);
        return count.Status;
    }

    public async Task<IReadOnlyList<UpdateDeviceStatus>> GetDeviceStatesAsync(
        string deploymentId, string? deviceClassId, UpdateDeviceState? filter, CancellationToken cancellationToken = default)
    {
        var record = Record(deploymentId);
        var target = TargetOf(record, withPlaces: false);
        var shards = await Task.WhenAll(Enumerable.Range(0, RegistryShards.Count).Select(shard =>
            GrainFactory.GetGrain<IRegistryShardGrain>(RegistryShards.Key(Hub, shard)).ListUpdateDevicesAsync(target, deviceClassId, cancellationToken)));
        return [.. shards.SelectMany(s => s)
            .Select(d => Adjusted(record, d))
            .Where(d => filter is null || d.DeviceState == filter)
            .OrderBy(d => d.DeviceId, StringComparer.Ordinal)];
    }

    /// <summary>A device's state with the grain's own knowledge: the health check, and the retries.</summary>
    private static UpdateDeviceStatus Adjusted(UpdateDeploymentRecord record, UpdateDeviceStatus device)
    {
        device = device with { RetryCount = record.Deployment.RetryCount };
        if (device.DeviceState != UpdateDeviceState.Succeeded || record.Deployment.Spec.HealthCheck is null)
        {
            return device;
        }

        return record.HealthFailed.ContainsKey(device.DeviceId) ? device with { DeviceState = UpdateDeviceState.Failed, HealthCheckFailed = true }
            : record.Confirmed.Contains(device.DeviceId) ? device
            : device with { DeviceState = UpdateDeviceState.InProgress };
    }

    private async Task<Counted> CountAsync(UpdateDeploymentRecord record, bool withPlaces, bool decide, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var target = TargetOf(record, withPlaces);
        var reports = await Task.WhenAll(Enumerable.Range(0, RegistryShards.Count).Select(shard =>
            GrainFactory.GetGrain<IRegistryShardGrain>(RegistryShards.Key(Hub, shard)).ReportUpdateAsync(target, cancellationToken)));
        var classes = new Dictionary<string, UpdateClassCounts>(StringComparer.Ordinal);
        foreach (var counts in reports.SelectMany(r => r.Classes))
        {
            classes[counts.DeviceClassId] = classes.TryGetValue(counts.DeviceClassId, out var sum)
                ? sum with
                {
                    Total = sum.Total + counts.Total, Released = sum.Released + counts.Released, NotStarted = sum.NotStarted + counts.NotStarted,
                    Pending = sum.Pending + counts.Pending, InProgress = sum.InProgress + counts.InProgress, Failed = sum.Failed + counts.Failed,
                    Succeeded = sum.Succeeded + counts.Succeeded, Canceled = sum.Canceled + counts.Canceled,
                    ReleasedNotStarted = sum.ReleasedNotStarted + counts.ReleasedNotStarted,
                }
                : counts;
        }

        var changed = false;
        if (decide)
        {
            // Bounded: each class is a configuration every twin write of the hub looks at.
            foreach (var (classId, counts) in classes.Where(c => !record.Classes.ContainsKey(c.Key)).Take(Math.Max(0, MaxClasses - record.Classes.Count)))
            {
                record.Classes[classId] = new Dictionary<string, string>(counts.CompatProperties, StringComparer.Ordinal);
                changed = true;
            }

            if (changed)
            {
                record.Deployment = record.Deployment with { DeviceClassSubgroups = [.. record.Classes.Keys.Order(StringComparer.Ordinal)] };
            }
        }

        var (adjust, healthChanged) = Health(record, reports.SelectMany(r => r.Confirming).ToList(), now, decide);
        var subgroups = classes.Values.OrderBy(c => c.DeviceClassId, StringComparer.Ordinal).Select(c =>
        {
            var (confirming, unhealthy) = adjust.GetValueOrDefault(c.DeviceClassId);
            return new UpdateSubgroupStatus(
                c.DeviceClassId, SubgroupState(record.Deployment, c.DeviceClassId), c.Total, c.NotStarted, c.InProgress + confirming,
                c.Failed + unhealthy, c.Succeeded - confirming - unhealthy, c.Canceled);
        }).ToList();
        var status = new UpdateDeploymentStatus(
            GroupId, record.Deployment.Spec.DeploymentId, GroupState(record.Deployment, subgroups), record.Deployment.State, subgroups,
            reports.Sum(r => r.Incompatible), record.Deployment.WavesReleased, record.Deployment.TotalWaves, now);
        return new Counted(status, classes.Values.Sum(c => c.Released), classes.Values.Sum(c => c.Pending), classes.Values.Sum(c => c.ReleasedNotStarted), [.. reports.SelectMany(r => r.Places)], changed || healthChanged);
    }

    /// <summary>
    /// The health confirmation of the devices that reported success: per class, how many are still confirming and how
    /// many failed it. When deciding, a device's watch starts at its first sighting and ends, at the window's close, in
    /// success (healthy now and seen healthy) or failure; a device seen unhealthy after being healthy fails at once.
    /// </summary>
    private (Dictionary<string, (long Confirming, long Unhealthy)> Adjust, bool Changed) Health(
        UpdateDeploymentRecord record, List<UpdateHealthSample> samples, DateTimeOffset now, bool decide)
    {
        var adjust = new Dictionary<string, (long Confirming, long Unhealthy)>(StringComparer.Ordinal);
        if (record.Deployment.Spec.HealthCheck is not { } check)
        {
            return (adjust, false);
        }

        var changed = false;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sample in samples)
        {
            seen.Add(sample.DeviceId);
            var outcome = record.HealthFailed.ContainsKey(sample.DeviceId) ? false : record.Confirmed.Contains(sample.DeviceId) ? true : (bool?)null;
            if (outcome is null && decide)
            {
                var watch = record.Confirming.GetValueOrDefault(sample.DeviceId) ?? new HealthWatch(now, false, sample.DeviceClassId);
                // A device seen unhealthy while connected after being healthy fails at once; one merely disconnected
                // (rebooting, a network blip) is judged only when the window closes.
                outcome = (sample.Healthy, watch.SeenHealthy) switch
                {
                    (var healthy, _) when now - watch.Since >= check.Window => healthy && watch.SeenHealthy,
                    (false, true) when sample.Connected => false,
                    _ => null,
                };
                changed |= Track(record, sample, watch with { SeenHealthy = watch.SeenHealthy || sample.Healthy }, outcome);
            }

            var (confirming, unhealthy) = adjust.GetValueOrDefault(sample.DeviceClassId);
            adjust[sample.DeviceClassId] = outcome switch
            {
                null => (confirming + 1, unhealthy),
                false => (confirming, unhealthy + 1),
                true => (confirming, unhealthy),
            };
        }

        if (decide)
        {
            // A device no longer reporting success (it started again, or failed) is not confirming any more.
            foreach (var gone in record.Confirming.Keys.Where(id => !seen.Contains(id)).ToList())
            {
                changed |= record.Confirming.Remove(gone);
            }
        }

        return (adjust, changed);
    }

    private static bool Track(UpdateDeploymentRecord record, UpdateHealthSample sample, HealthWatch watch, bool? outcome)
    {
        switch (outcome)
        {
            case true:
                record.Confirming.Remove(sample.DeviceId);
                return record.Confirmed.Add(sample.DeviceId);
            case false:
                record.Confirming.Remove(sample.DeviceId);
                record.HealthFailed[sample.DeviceId] = sample.DeviceClassId;
                return true;
            default:
                var known = record.Confirming.GetValueOrDefault(sample.DeviceId);
                record.Confirming[sample.DeviceId] = watch;
                return known != watch;
        }
    }

    private UpdateTarget TargetOf(UpdateDeploymentRecord record, bool withPlaces)
    {
        var deployment = record.Deployment;
        var rollbackWorkflow = deployment.RollbackDeploymentId is { } id && state.State.Deployments.TryGetValue(id, out var rollback) ? rollback.Deployment.WorkflowId : null;
        var health = deployment.Spec.HealthCheck is { } check ? UpdateDeploymentRules.HealthCondition(check) : null;
        return new UpdateTarget(
            GroupId, deployment.Spec.Update, record.Compatibility, deployment.WorkflowId, rollbackWorkflow, deployment.IsCanceled,
            deployment.CanceledDeviceClasses,
            deployment.Spec.Rollout is null ? null : new Configurations.ConfigurationRollout(deployment.WorkflowId, record.Below),
            health, withPlaces, record.RollbackOf, record.RollbackOf is null ? [] : [.. (IEnumerable<string>?)FailingOf(record)?.HealthFailed.Keys ?? []]);
    }

    /// <summary>For a rollback, the deployment it rolls back.</summary>
    private UpdateDeploymentRecord? FailingOf(UpdateDeploymentRecord rollback) =>
        state.State.Deployments.Values.FirstOrDefault(r => r.Deployment.RollbackDeploymentId == rollback.Deployment.Spec.DeploymentId);

    private static string SubgroupState(UpdateDeployment deployment, string classId) =>
        deployment.IsCanceled || deployment.CanceledDeviceClasses.Contains(classId) ? "Canceled"
        : deployment.State switch
        {
            UpdateDeploymentState.Inactive => "Inactive",
            UpdateDeploymentState.Halted or UpdateDeploymentState.RolledBack => "Failed",
            _ => "Active",
        };

    private static string GroupState(UpdateDeployment deployment, IReadOnlyList<UpdateSubgroupStatus> subgroups) => deployment.State switch
    {
        UpdateDeploymentState.Canceled => "Canceled",
        UpdateDeploymentState.Inactive => "Inactive",
        UpdateDeploymentState.Halted or UpdateDeploymentState.RolledBack => "Failed",
        _ when subgroups.Any(s => s.DevicesCompletedFailedCount > 0 || s.DeploymentState == "Canceled") => "ActiveWithSubgroupFailures",
        _ => "Active",
    };

    /// <summary>A status counted before a pass decided, with the states the decisions gave.</summary>
    private static UpdateDeploymentStatus Restated(UpdateDeployment deployment, UpdateDeploymentStatus status)
    {
        var subgroups = status.Subgroups.Select(s => s with { DeploymentState = SubgroupState(deployment, s.DeviceClassId) }).ToList();
        return status with
        {
            State = deployment.State,
            WavesReleased = deployment.WavesReleased,
            Subgroups = subgroups,
            DeploymentState = GroupState(deployment, subgroups),
        };
    }

    private void Remember(string deploymentId, UpdateDeploymentStatus status) => _statuses[deploymentId] = status;

    private static bool SameCounts(UpdateDeploymentStatus a, UpdateDeploymentStatus b) =>
        a.DeploymentState == b.DeploymentState && a.DevicesIncompatibleCount == b.DevicesIncompatibleCount && a.Subgroups.SequenceEqual(b.Subgroups);
}
