using DeviceFabric.Api.Modules;
using DeviceFabric.Api.Security;
using DeviceFabric.Contracts.Devices;
using DeviceFabric.Contracts.Security;
using DeviceFabric.Devices;
using DeviceFabric.Events;
using DeviceFabric.Modules;
using DeviceFabric.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DeviceFabric.Api.Devices;

/// <summary>
/// What operators ask of a fleet beyond IoT Hub's registry: a device's or module's connection history, and the hub's
/// recent lifecycle events (the portal's overview reads both).
/// </summary>
internal static class ActivityEndpoints
{
    public static void MapActivity(this RouteGroupBuilder api)
    {
        var devices = api.MapGroup(string.Empty).WithTags("Devices");
        devices.MapGet("/devices/{deviceId}/connections", DeviceAsync).WithName("GetDeviceConnectionHistory")
            .WithSummary("Reads a device's connection state and its latest connects and disconnects, newest first").RequireRights(AccessRights.RegistryRead);
        devices.MapGet("/devices/{deviceId}/modules/{moduleId}/connections", ModuleAsync).WithName("GetModuleConnectionHistory")
            .WithSummary("Reads a module's connection state and its latest connects and disconnects, newest first").RequireRights(AccessRights.RegistryRead);
        devices.MapGet("/lifecycle/events", RecentAsync).WithName("ListLifecycleEvents")
            .WithSummary("Lists the hub's latest device lifecycle events (created, deleted, connected, disconnected), newest first; top 1-200, default 50")
            .RequireRights(AccessRights.RegistryRead);
    }

    private static async Task<Ok<ConnectionHistoryJson>> DeviceAsync(string deviceId, HttpContext context, IGrainFactory grains)
    {
        DeviceIdRules.ThrowIfInvalid(deviceId);
        var grain = grains.GetGrain<IDeviceConnectionHistoryGrain>(DeviceKey.Create(RequireRightsFilter.HubOf(context), deviceId));
        return TypedResults.Ok(ActivityMapper.ToJson(deviceId, null, await grain.GetConnectionHistoryAsync(context.RequestAborted)));
    }

    private static async Task<Ok<ConnectionHistoryJson>> ModuleAsync(string deviceId, string moduleId, HttpContext context, IGrainFactory grains)
    {
        DeviceIdRules.ThrowIfInvalid(deviceId);
        ModuleIds.ThrowIfInvalid(moduleId, allowSystem: true);
        var grain = grains.GetGrain<IDeviceConnectionHistoryGrain>(ModulesEndpoints.ModuleKey(context, deviceId, moduleId));
        return TypedResults.Ok(ActivityMapper.ToJson(deviceId, moduleId, await grain.GetConnectionHistoryAsync(context.RequestAborted)));
    }

    private static async Task<Ok<ValueListJson<LifecycleEventJson>>> RecentAsync(HttpContext context, IGrainFactory grains, int? top)
    {
        var events = await grains.GetGrain<ILifecycleFeedGrain>(RequireRightsFilter.HubOf(context)).RecentAsync(top ?? 50, context.RequestAborted);
        return TypedResults.Ok(new ValueListJson<LifecycleEventJson> { Value = [.. events.Select(ActivityMapper.ToJson)] });
    }
}
