using DeviceFabric.Query;
using DeviceFabric.Updates;

namespace DeviceFabric.Registry;

/// <summary>
/// The Device Update facet: what the shard's devices with an agent are doing about a deployment, read from their twin
/// projections (the agent's reported <c>deviceUpdate</c> component, the group tag, the connection state).
/// </summary>
internal sealed partial class RegistryShardGrain
{
    public Task<UpdateShardReport> ReportUpdateAsync(UpdateTarget target, CancellationToken cancellationToken = default)
    {
        var health = target.HealthCondition is null ? null : QueryParser.ParseCondition(target.HealthCondition);
        var classes = new Dictionary<string, (IReadOnlyDictionary<string, string> Props, long[] Counts)>(StringComparer.Ordinal);
        var confirming = new List<UpdateHealthSample>();
        var places = new List<long>();
        long incompatible = 0;
        foreach (var (agent, document) in Agents(target, health is not null))
        {
            var state = agent.StateFor(target);
            if (state == UpdateDeviceState.Incompatible)
            {
                incompatible++;
                continue;
            }

            if (!classes.TryGetValue(agent.DeviceClassId, out var entry))
            {
                entry = (agent.CompatProperties, new long[9]);
                classes[agent.DeviceClassId] = entry;
            }

            var released = target.Rollout?.Releases(agent.DeviceId) ?? true;
            var counts = entry.Counts;
            counts[0]++;
            counts[1] += released ? 1 : 0;
            counts[state switch
            {
                UpdateDeviceState.NotStarted => 2,
                UpdateDeviceState.InProgress => 4,
                UpdateDeviceState.Failed => 5,
                UpdateDeviceState.Succeeded => 6,
                _ => 7,
            }]++;
            if (state == UpdateDeviceState.NotStarted && released)
            {
                counts[3] += agent.Connected ? 1 : 0;
                counts[8]++;
            }

            if (health is not null && state == UpdateDeviceState.Succeeded)
            {
                confirming.Add(new UpdateHealthSample(agent.DeviceId, agent.DeviceClassId, agent.Connected && health.IsTrue(document), agent.Connected));
            }

            if (target.WithPlaces)
            {
                places.Add(Configurations.ConfigurationRollout.PlaceOf(target.WorkflowId, agent.DeviceId));
            }
        }

        return Task.FromResult(new UpdateShardReport(
            [.. classes.Select(c => new UpdateClassCounts(c.Key, c.Value.Props, c.Value.Counts[0], c.Value.Counts[1], c.Value.Counts[2],
                c.Value.Counts[3], c.Value.Counts[4], c.Value.Counts[5], c.Value.Counts[6], c.Value.Counts[7], c.Value.Counts[8]))],
            incompatible,
            confirming,
            places));
    }

    public Task<IReadOnlyList<UpdateDeviceStatus>> ListUpdateDevicesAsync(UpdateTarget target, string? deviceClassId, CancellationToken cancellationToken = default)
    {
        var devices = new List<UpdateDeviceStatus>();
        foreach (var (agent, _) in Agents(target, withHealth: false))
        {
            if (deviceClassId is null || agent.DeviceClassId == deviceClassId)
            {
                var state = agent.StateFor(target);
                var ours = agent.WorkflowId == target.WorkflowId;
                devices.Add(new UpdateDeviceStatus(
                    agent.DeviceId, agent.DeviceClassId, state, 0, MovedOnToNewDeployment: false,
                    ours ? agent.ResultCode : null, ours ? agent.ExtendedResultCodes : null, HealthCheckFailed: false, ours ? agent.StepResults : null));
            }
        }

        return Task.FromResult<IReadOnlyList<UpdateDeviceStatus>>(devices);
    }

    public Task<IReadOnlyList<UpdateMemberCount>> CountUpdateMembersAsync(CancellationToken cancellationToken = default)
    {
        var counts = new Dictionary<(string Group, string Class), (AgentView First, long Count)>();
        foreach (var (deviceId, document) in Documents("devices", afterDeviceId: null, withHealth: false))
        {
            if (AgentView.Of(deviceId, document) is { } agent)
            {
                var key = (agent.GroupId, agent.DeviceClassId);
                counts[key] = counts.TryGetValue(key, out var seen) ? (seen.First, seen.Count + 1) : (agent, 1);
            }
        }

        return Task.FromResult<IReadOnlyList<UpdateMemberCount>>(
            [.. counts.Select(c => new UpdateMemberCount(c.Key.Group, c.Value.First.Tagged, c.Key.Class, c.Value.First.CompatProperties, c.Value.Count))]);
    }

    /// <summary>The shard's devices of a deployment (with an agent, in its group; for a rollback, those it is for), with their query documents.</summary>
    private IEnumerable<(AgentView Agent, System.Text.Json.Nodes.JsonObject Document)> Agents(UpdateTarget target, bool withHealth)
    {
        var included = target.RollbackOf is null ? null : target.Included.ToHashSet(StringComparer.Ordinal);
        foreach (var (deviceId, document) in Documents("devices", afterDeviceId: null, withHealth))
        {
            if (AgentView.Of(deviceId, document) is not { } agent || agent.GroupId != target.GroupId)
            {
                continue;
            }

            if (included is null || agent.WorkflowId == target.WorkflowId || included.Contains(deviceId)
                || (agent.WorkflowId == target.RollbackOf && agent.State == AgentView.Failed))
            {
                yield return (agent, document);
            }
        }
    }
}
