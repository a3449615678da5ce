using System.Globalization;
using DeviceFabric.Api.Http;
using DeviceFabric.Api.Security;
using DeviceFabric.Contracts;
using DeviceFabric.Contracts.Modules;
using DeviceFabric.Contracts.Security;
using DeviceFabric.Devices;
using DeviceFabric.Modules;
using DeviceFabric.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DeviceFabric.Api.Modules;

/// <summary>
/// IoT Hub's module identities: <c>/devices/{id}/modules/{moduleId}</c> (PUT creates, or updates with <c>If-Match</c>;
/// GET; DELETE), <c>/devices/{id}/modules</c> (list) and <c>regenerateKey</c>, as for devices. Twins and methods of
/// modules are in <see cref="ModuleTwinsEndpoints"/>.
/// </summary>
internal static class ModulesEndpoints
{
    private const long MaxModuleBodyBytes = 64 * 1024;
    private const long MaxKeyBodyBytes = 8 * 1024;

    public static void MapModules(this RouteGroupBuilder api)
    {
        var modules = api.MapGroup("/devices/{deviceId}/modules").WithTags("Modules");
        api.MapGet("/devices/{deviceId}/modules", ListModulesAsync).WithTags("Modules").WithName("ListModules").WithSummary("Lists a device's modules").RequireRights(AccessRights.RegistryRead);
        modules.MapPut("/{moduleId}", PutModuleAsync).WithName("PutModule").WithSummary("Creates a module (keys left empty are generated), or updates it when If-Match is given")
            .DocumentsBody<ModuleJson>("application/json").RequireRights(AccessRights.RegistryWrite);
        modules.MapGet("/{moduleId}", GetModuleAsync).WithName("GetModule").WithSummary("Reads a module").RequireRights(AccessRights.RegistryRead);
        modules.MapDelete("/{moduleId}", DeleteModuleAsync).WithName("DeleteModule").WithSummary("Deletes a module (If-Match honoured); its session closes")
            .RequireRights(AccessRights.RegistryWrite);
        modules.MapPost("/{moduleId}/regenerateKey", RegenerateKeyAsync).WithName("RegenerateModuleKey")
            .WithSummary("Regenerates a module's primary or secondary key, or swaps them; only a session that used the replaced key closes")
            .DocumentsBody<RegenerateKeyJson>("application/json").RequireRights(AccessRights.RegistryWrite);
    }

    private static async Task<Ok<List<ModuleJson>>> ListModulesAsync(string deviceId, HttpContext context, IGrainFactory grains)
    {
        DeviceIdRules.ThrowIfInvalid(deviceId);
        var modules = await Device(context, grains, deviceId).ListModulesAsync(context.RequestAborted);
        return TypedResults.Ok(modules.Select(ModuleMapper.ToJson).ToList());
    }

    private static async Task<Ok<ModuleJson>> PutModuleAsync(string deviceId, string moduleId, HttpContext context, IGrainFactory grains)
    {
        var grain = Module(context, grains, deviceId, moduleId);
        var body = await JsonBody.ReadAsync(context, ContractsJsonContext.Default.ModuleJson, MaxModuleBodyBytes);
        if ((body.DeviceId is not null && body.DeviceId != deviceId) || (body.ModuleId is not null && body.ModuleId != moduleId))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "The deviceId or moduleId in the body differs from the one in the path.");
        }

        var settings = ModuleMapper.ToSettings(body);
        var ifMatch = context.Request.Headers.IfMatch.ToString();
        var module = string.IsNullOrEmpty(ifMatch)
            ? await Device(context, grains, deviceId).AddModuleAsync(moduleId, settings, context.RequestAborted)
            : await grain.UpdateAsync(settings, ifMatch, context.RequestAborted);
        return ModuleResult(context, module);
    }

    private static async Task<Ok<ModuleJson>> GetModuleAsync(string deviceId, string moduleId, HttpContext context, IGrainFactory grains)
    {
        var module = await Module(context, grains, deviceId, moduleId).GetAsync(context.RequestAborted)
            ?? throw DeviceFabricException.ModuleNotFound(deviceId, moduleId);
        return ModuleResult(context, module);
    }

    private static async Task<NoContent> DeleteModuleAsync(string deviceId, string moduleId, HttpContext context, IGrainFactory grains)
    {
        DeviceIdRules.ThrowIfInvalid(deviceId);
        ModuleIds.ThrowIfInvalid(moduleId, allowSystem: true);
        await Device(context, grains, deviceId).RemoveModuleAsync(moduleId, context.Request.Headers.IfMatch.ToString(), context.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<ModuleJson>> RegenerateKeyAsync(string deviceId, string moduleId, HttpContext context, IGrainFactory grains)
    {
        var grain = Module(context, grains, deviceId, moduleId);
        var body = await JsonBody.ReadAsync(context, ContractsJsonContext.Default.RegenerateKeyJson, MaxKeyBodyBytes);
        var module = await grain.RegenerateKeyAsync(SecurityMapper.ParseRollover(body.KeyType), context.Request.Headers.IfMatch.ToString(), context.RequestAborted);
        return ModuleResult(context, module);
    }

    private static IDeviceModulesGrain Device(HttpContext context, IGrainFactory grains, string deviceId) =>
        grains.GetGrain<IDeviceModulesGrain>(DeviceKey.Create(RequireRightsFilter.HubOf(context), deviceId));

    /// <summary>The module's identity grain, after checking both ids.</summary>
    internal static IDeviceIdentityGrain Module(HttpContext context, IGrainFactory grains, string deviceId, string moduleId)
    {
        DeviceIdRules.ThrowIfInvalid(deviceId);
        ModuleIds.ThrowIfInvalid(moduleId, allowSystem: true);
        return grains.GetGrain<IDeviceIdentityGrain>(ModuleKey(context, deviceId, moduleId));
    }

    /// <summary>The grain key of a module: <c>{hub}/{deviceId}/{moduleId}</c>.</summary>
    internal static string ModuleKey(HttpContext context, string deviceId, string moduleId) =>
        DeviceKey.Create(RequireRightsFilter.HubOf(context), ModuleIds.Compose(deviceId, moduleId));

    private static Ok<ModuleJson> ModuleResult(HttpContext context, DeviceIdentity module)
    {
        context.Response.Headers.ETag = string.Create(CultureInfo.InvariantCulture, $"\"{module.ETag}\"");
        return TypedResults.Ok(ModuleMapper.ToJson(module));
    }
}
