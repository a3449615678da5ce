using DeviceFabric.Persistence;
using DeviceFabric.Registry;
using Microsoft.Extensions.Logging;

namespace DeviceFabric.Updates;

/// <summary>
/// A hub's Device Update groups and device classes, counted from the registry shards (the agents' reports and the
/// group tags), and the directory of groups with an active deployment.
/// </summary>
internal sealed partial class DeviceUpdateGrain(
    [PersistentState("updatedirectory", GrainStorage.Name)] IPersistentState<UpdateDirectoryState> state,
    ILogger<DeviceUpdateGrain> logger) : Grain, IDeviceUpdateGrain, IUpdateDirectoryGrain
{
    private string Hub => this.GetPrimaryKeyString();

    public async Task<IReadOnlyList<UpdateGroup>> ListGroupsAsync(CancellationToken cancellationToken = default)
    {
        var members = await MembersAsync(cancellationToken);
        var groups = members.GroupBy(m => m.GroupId, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g => new UpdateGroup(g.Key, g.First().Tagged ? "IoTHubTag" : "DefaultNoTag", g.Sum(m => m.Count),
                [.. g.Select(m => m.DeviceClassId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
                state.State.ActiveByGroup.GetValueOrDefault(g.Key)),
            StringComparer.Ordinal);
        foreach (var (groupId, deploymentId) in state.State.ActiveByGroup.Where(a => !groups.ContainsKey(a.Key)))
        {
            groups[groupId] = new UpdateGroup(groupId, groupId.StartsWith(UpdateGroups.DefaultPrefix, StringComparison.Ordinal) ? "DefaultNoTag" : "IoTHubTag", 0, [], deploymentId);
        }

        return [.. groups.Values.OrderBy(g => g.GroupId, StringComparer.Ordinal)];
    }

    public async Task<UpdateGroup> GetGroupAsync(string groupId, CancellationToken cancellationToken = default) =>
        (await ListGroupsAsync(cancellationToken)).FirstOrDefault(g => g.GroupId == groupId)
            ?? throw new DeviceFabricException(DeviceFabricErrorCode.UpdateGroupNotFound, $"No device with the Device Update agent is in group {groupId}, nor has it a deployment.");

    public async Task<IReadOnlyList<UpdateDeviceClass>> ListDeviceClassesAsync(CancellationToken cancellationToken = default) =>
        [.. (await MembersAsync(cancellationToken)).GroupBy(m => m.DeviceClassId, StringComparer.Ordinal)
            .Select(g => new UpdateDeviceClass(g.Key, g.First().CompatProperties, g.Sum(m => m.Count)))
            .OrderBy(c => c.DeviceClassId, StringComparer.Ordinal)];

    public async Task RecordAsync(string groupId, string? activeDeploymentId, CancellationToken cancellationToken = default)
    {
        var known = state.State.ActiveByGroup.GetValueOrDefault(groupId);
        if (known == activeDeploymentId)
        {
            return;
        }

        if (activeDeploymentId is null)
        {
            state.State.ActiveByGroup.Remove(groupId);
        }
        else
        {
            state.State.ActiveByGroup[groupId] = activeDeploymentId;
        }

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

    public async Task ResumeAsync(CancellationToken cancellationToken = default)
    {
        foreach (var groupId in state.State.ActiveByGroup.Keys.ToList())
        {
            try
            {
                await GrainFactory.GetGrain<IUpdateGroupControlGrain>(UpdateGroups.Key(Hub, groupId)).ResumeAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogResumeFailed(logger, ex, Hub, groupId);
            }
        }
    }

    private async Task<List<UpdateMemberCount>> MembersAsync(CancellationToken cancellationToken)
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, RegistryShards.Count).Select(shard =>
            GrainFactory.GetGrain<IRegistryShardGrain>(RegistryShards.Key(Hub, shard)).CountUpdateMembersAsync(cancellationToken)));
        return [.. shards.SelectMany(s => s)];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Update group {Hub}/{Group} could not be woken at start-up; its next call wakes it")]
    private static partial void LogResumeFailed(ILogger logger, Exception exception, string hub, string group);
}
