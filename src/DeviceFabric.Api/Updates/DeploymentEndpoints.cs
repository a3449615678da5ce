using System.Text.RegularExpressions;
using DeviceFabric.Api.Http;
using DeviceFabric.Api.Security;
using DeviceFabric.Contracts;
using DeviceFabric.Contracts.Security;
using DeviceFabric.Contracts.Updates;
using DeviceFabric.Security;
using DeviceFabric.Updates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DeviceFabric.Api.Updates;

/// <summary>
/// Device Update's management API (2022-10-01): groups, device classes, deployments, their status per group, device
/// class and device, cancel and retry. Reading needs registry read, writing registry write.
/// </summary>
internal static partial class DeploymentEndpoints
{
    private const long MaxBodyBytes = 64 * 1024;
    private const string Groups = "/deviceUpdate/{instanceId}/management/groups";
    private const string Deployment = Groups + "/{groupId}/deployments/{deploymentId}";
    private const string Subgroup = Groups + "/{groupId}/deviceClassSubgroups/{deviceClassId}/deployments/{deploymentId}";

    public static void MapUpdateDeployments(this RouteGroupBuilder api)
    {
        var adu = api.MapGroup(string.Empty).WithTags("Device Update");
        adu.MapGet(Groups, ListGroupsAsync).WithName("ListUpdateGroups").WithSummary("Lists the groups of devices with the Device Update agent").RequireRights(AccessRights.RegistryRead);
        adu.MapGet(Groups + "/{groupId}", GetGroupAsync).WithName("GetUpdateGroup").WithSummary("Reads a group").RequireRights(AccessRights.RegistryRead);
        adu.MapGet("/deviceUpdate/{instanceId}/management/deviceClasses", ListClassesAsync).WithName("ListDeviceClasses")
            .WithSummary("Lists the device classes (agents' compatibility properties)").RequireRights(AccessRights.RegistryRead);
        adu.MapGet("/deviceUpdate/{instanceId}/management/deviceClasses/{deviceClassId}", GetClassAsync).WithName("GetDeviceClass")
            .WithSummary("Reads a device class").RequireRights(AccessRights.RegistryRead);
        adu.MapGet(Groups + "/{groupId}/deployments", ListAsync).WithName("ListUpdateDeployments").WithSummary("Lists a group's deployments, newest first")
            .RequireRights(AccessRights.RegistryRead);
        adu.MapPut(Deployment, PutAsync).WithName("PutUpdateDeployment")
            .WithSummary("Deploys an update to a group: at its start time, optionally in waves, with a health check and a rollback policy")
            .DocumentsBody<DeploymentJson>().RequireRights(AccessRights.RegistryWrite);
        adu.MapGet(Deployment, GetAsync).WithName("GetUpdateDeployment").WithSummary("Reads a deployment").RequireRights(AccessRights.RegistryRead);
        adu.MapDelete(Deployment, DeleteAsync).WithName("DeleteUpdateDeployment").WithSummary("Deletes a deployment; its devices lose it")
            .RequireRights(AccessRights.RegistryWrite);
        adu.MapGet(Deployment + "/status", StatusAsync).WithName("GetUpdateDeploymentStatus").WithSummary("Reads a deployment's status per device class")
            .RequireRights(AccessRights.RegistryRead);
        adu.MapGet(Deployment + "/devicestates", GroupDevicesAsync).WithName("ListUpdateDeploymentDevices")
            .WithSummary("Lists the group's devices and their state (filter=deviceState eq 'Failed')").RequireRights(AccessRights.RegistryRead);
        adu.MapPost(Deployment + ":cancel", CancelAsync).WithName("CancelUpdateDeployment").WithSummary("Cancels a deployment for its group; final")
            .RequireRights(AccessRights.RegistryWrite);
        adu.MapPost(Deployment + ":retry", RetryAsync).WithName("RetryUpdateDeployment").WithSummary("Retries a deployment: failed devices run it again")
            .RequireRights(AccessRights.RegistryWrite);
        adu.MapGet(Subgroup, GetAsync).WithName("GetSubgroupDeployment").WithSummary("Reads a deployment of a device class subgroup").RequireRights(AccessRights.RegistryRead);
        adu.MapGet(Subgroup + "/status", SubgroupStatusAsync).WithName("GetSubgroupDeploymentStatus").WithSummary("Reads a device class subgroup's status")
            .RequireRights(AccessRights.RegistryRead);
        adu.MapGet(Subgroup + "/devicestates", SubgroupDevicesAsync).WithName("ListSubgroupDeploymentDevices")
            .WithSummary("Lists a device class subgroup's devices and their state").RequireRights(AccessRights.RegistryRead);
        adu.MapPost(Subgroup + ":cancel", CancelSubgroupAsync).WithName("CancelSubgroupDeployment").WithSummary("Cancels a deployment for one device class")
            .RequireRights(AccessRights.RegistryWrite);
        adu.MapPost(Subgroup + ":retry", RetrySubgroupAsync).WithName("RetrySubgroupDeployment").WithSummary("Retries a deployment for one device class")
            .RequireRights(AccessRights.RegistryWrite);
    }

    private static async Task<Ok<ValueListJson<GroupJson>>> ListGroupsAsync(string instanceId, HttpContext context, IGrainFactory grains) =>
        TypedResults.Ok(new ValueListJson<GroupJson> { Value = [.. (await Directory(context, grains, instanceId).ListGroupsAsync(context.RequestAborted)).Select(DeploymentMapper.ToJson)] });

    private static async Task<Ok<GroupJson>> GetGroupAsync(string instanceId, string groupId, HttpContext context, IGrainFactory grains) =>
        TypedResults.Ok(DeploymentMapper.ToJson(await Directory(context, grains, instanceId).GetGroupAsync(groupId, context.RequestAborted)));

    private static async Task<Ok<ValueListJson<DeviceClassJson>>> ListClassesAsync(string instanceId, HttpContext context, IGrainFactory grains) =>
        TypedResults.Ok(new ValueListJson<DeviceClassJson> { Value = [.. (await Directory(context, grains, instanceId).ListDeviceClassesAsync(context.RequestAborted)).Select(DeploymentMapper.ToJson)] });

    private static async Task<Ok<DeviceClassJson>> GetClassAsync(string instanceId, string deviceClassId, HttpContext context, IGrainFactory grains) =>
        TypedResults.Ok(DeploymentMapper.ToJson((await Directory(context, grains, instanceId).ListDeviceClassesAsync(context.RequestAborted)).FirstOrDefault(c => c.DeviceClassId == deviceClassId)
            ?? throw new DeviceFabricException(DeviceFabricErrorCode.UpdateGroupNotFound, $"No device reports device class {deviceClassId}.")));

    private static async Task<Ok<ValueListJson<DeploymentJson>>> ListAsync(string instanceId, string groupId, HttpContext context, IGrainFactory grains) =>
        TypedResults.Ok(new ValueListJson<DeploymentJson> { Value = [.. (await Group(context, grains, instanceId, groupId).ListDeploymentsAsync(context.RequestAborted)).Select(DeploymentMapper.ToJson)] });

    private static async Task<Ok<DeploymentJson>> PutAsync(string instanceId, string groupId, string deploymentId, HttpContext context, IGrainFactory grains, TimeProvider time)
    {
        var body = await JsonBody.ReadAsync(context, ContractsJsonContext.Default.DeploymentJson, MaxBodyBytes);
        var spec = DeploymentMapper.ToSpec(body, groupId, deploymentId, time.GetUtcNow());
        return TypedResults.Ok(DeploymentMapper.ToJson(await Group(context, grains, instanceId, groupId).PutDeploymentAsync(spec, context.RequestAborted)));
    }

    private static async Task<Ok<DeploymentJson>> GetAsync(string instanceId, string groupId, string deploymentId, HttpContext context, IGrainFactory grains) =>
        TypedResults.Ok(DeploymentMapper.ToJson(await Group(context, grains, instanceId, groupId).GetDeploymentAsync(deploymentId, context.RequestAborted)));

    private static async Task<NoContent> DeleteAsync(string instanceId, string groupId, string deploymentId, HttpContext context, IGrainFactory grains)
    {
        await Group(context, grains, instanceId, groupId).DeleteDeploymentAsync(deploymentId, context.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<DeploymentStatusJson>> StatusAsync(string instanceId, string groupId, string deploymentId, HttpContext context, IGrainFactory grains) =>
        TypedResults.Ok(DeploymentMapper.ToJson(await Group(context, grains, instanceId, groupId).GetStatusAsync(deploymentId, context.RequestAborted)));

    private static async Task<Ok<SubgroupStatusJson>> SubgroupStatusAsync(
        string instanceId, string groupId, string deviceClassId, string deploymentId, HttpContext context, IGrainFactory grains)
    {
        var status = await Group(context, grains, instanceId, groupId).GetStatusAsync(deploymentId, context.RequestAborted);
        var subgroup = status.Subgroups.FirstOrDefault(s => s.DeviceClassId == deviceClassId)
            ?? throw new DeviceFabricException(DeviceFabricErrorCode.UpdateGroupNotFound, $"Deployment {deploymentId} has no device class subgroup {deviceClassId}.");
        return TypedResults.Ok(DeploymentMapper.ToJson(groupId, subgroup));
    }

    private static Task<Ok<ValueListJson<DeviceStateJson>>> GroupDevicesAsync(
        string instanceId, string groupId, string deploymentId, string? filter, HttpContext context, IGrainFactory grains) =>
        DevicesAsync(context, grains, instanceId, groupId, null, deploymentId, filter);

    private static Task<Ok<ValueListJson<DeviceStateJson>>> SubgroupDevicesAsync(
        string instanceId, string groupId, string deviceClassId, string deploymentId, string? filter, HttpContext context, IGrainFactory grains) =>
        DevicesAsync(context, grains, instanceId, groupId, deviceClassId, deploymentId, filter);

    private static async Task<Ok<ValueListJson<DeviceStateJson>>> DevicesAsync(
        HttpContext context, IGrainFactory grains, string instanceId, string groupId, string? deviceClassId, string deploymentId, string? filter)
    {
        var devices = await Group(context, grains, instanceId, groupId).GetDeviceStatesAsync(deploymentId, deviceClassId, StateFilter(filter), context.RequestAborted);
        return TypedResults.Ok(new ValueListJson<DeviceStateJson> { Value = [.. devices.Select(DeploymentMapper.ToJson)] });
    }

    private static async Task<Ok<DeploymentJson>> CancelAsync(string instanceId, string groupId, string deploymentId, HttpContext context, IGrainFactory grains) =>
        TypedResults.Ok(DeploymentMapper.ToJson(await Group(context, grains, instanceId, groupId).CancelAsync(deploymentId, null, context.RequestAborted)));

    private static async Task<Ok<DeploymentJson>> RetryAsync(string instanceId, string groupId, string deploymentId, HttpContext context, IGrainFactory grains) =>
        TypedResults.Ok(DeploymentMapper.ToJson(await Group(context, grains, instanceId, groupId).RetryAsync(deploymentId, null, context.RequestAborted)));

    private static async Task<Ok<DeploymentJson>> CancelSubgroupAsync(
        string instanceId, string groupId, string deviceClassId, string deploymentId, HttpContext context, IGrainFactory grains) =>
        TypedResults.Ok(DeploymentMapper.ToJson(await Group(context, grains, instanceId, groupId).CancelAsync(deploymentId, deviceClassId, context.RequestAborted)));

    private static async Task<Ok<DeploymentJson>> RetrySubgroupAsync(
        string instanceId, string groupId, string deviceClassId, string deploymentId, HttpContext context, IGrainFactory grains) =>
        TypedResults.Ok(DeploymentMapper.ToJson(await Group(context, grains, instanceId, groupId).RetryAsync(deploymentId, deviceClassId, context.RequestAborted)));

    /// <summary>Device Update's one filter: <c>deviceState eq 'Failed'</c>.</summary>
    private static UpdateDeviceState? StateFilter(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return null;
        }

        var match = FilterPattern().Match(filter);
        return match.Success && Enum.TryParse<UpdateDeviceState>(match.Groups[1].Value, ignoreCase: true, out var state)
            ? state
            : throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"filter must be deviceState eq '<state>' with a state of {string.Join(", ", Enum.GetNames<UpdateDeviceState>())}.");
    }

    private static IUpdateGroupGrain Group(HttpContext context, IGrainFactory grains, string instanceId, string groupId) =>
        UpdateGroups.IsValidId(groupId)
            ? grains.GetGrain<IUpdateGroupGrain>(UpdateGroups.Key(UpdatesEndpoints.Hub(context, instanceId), groupId))
            : throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"groupId must be 1-{UpdateGroups.MaxIdLength} characters without a slash.");

    private static IDeviceUpdateGrain Directory(HttpContext context, IGrainFactory grains, string instanceId) =>
        grains.GetGrain<IDeviceUpdateGrain>(UpdatesEndpoints.Hub(context, instanceId));

    [GeneratedRegex(@"^\s*deviceState\s+eq\s+'(\w+)'\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex FilterPattern();
}
