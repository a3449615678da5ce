using DeviceFabric.Api.Http;
using DeviceFabric.Api.Methods;
using DeviceFabric.Api.Security;
using DeviceFabric.Api.Twins;
using DeviceFabric.Contracts;
using DeviceFabric.Security;
using DeviceFabric.Twins;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DeviceFabric.Api.Modules;

/// <summary>
/// IoT Hub's module twins and module methods: <c>/twins/{id}/modules/{moduleId}</c> (GET, PATCH merges, PUT replaces)
/// and <c>/twins/{id}/modules/{moduleId}/methods</c>; the same grains and rules as a device's.
/// </summary>
internal static class ModuleTwinsEndpoints
{
    public static void MapModuleTwins(this RouteGroupBuilder api)
    {
        const string Twin = "/twins/{deviceId}/modules/{moduleId}";
        var twins = api.MapGroup(string.Empty).WithTags("Modules");
        twins.MapGet(Twin, GetTwinAsync).WithName("GetModuleTwin").WithSummary("Reads a module twin")
            .RequireAnyRight(AccessRights.ServiceConnect | AccessRights.RegistryRead);
        twins.MapPatch(Twin, PatchTwinAsync).WithName("PatchModuleTwin").WithSummary("Merges a module twin's tags and desired properties (null removes)")
            .DocumentsBody<TwinJson>("application/json").RequireRights(AccessRights.ServiceConnect);
        twins.MapPut(Twin, ReplaceTwinAsync).WithName("ReplaceModuleTwin").WithSummary("Replaces a module twin's tags and desired properties")
            .DocumentsBody<TwinJson>("application/json").RequireRights(AccessRights.ServiceConnect);
        twins.MapPost(Twin + "/methods", InvokeMethodAsync).WithName("InvokeModuleMethod")
            .WithSummary("Calls a direct method on a connected module and returns its answer")
            .DocumentsBody<DirectMethodRequestJson>("application/json").RequireRights(AccessRights.ServiceConnect);
    }

    private static async Task<DocumentResult<TwinJson>> GetTwinAsync(string deviceId, string moduleId, HttpContext context, IGrainFactory grains) =>
        TwinsEndpoints.TwinResult(context, await Twin(context, grains, deviceId, moduleId).GetAsync(context.RequestAborted));

    private static async Task<DocumentResult<TwinJson>> PatchTwinAsync(string deviceId, string moduleId, HttpContext context, IGrainFactory grains)
    {
        var twin = Twin(context, grains, deviceId, moduleId);
        var body = await JsonBody.ReadTextAsync(context, TwinsEndpoints.MaxTwinBodyBytes);
        return TwinsEndpoints.TwinResult(context, await twin.UpdateAsync(body, context.Request.Headers.IfMatch.ToString(), context.RequestAborted));
    }

    private static async Task<DocumentResult<TwinJson>> ReplaceTwinAsync(string deviceId, string moduleId, HttpContext context, IGrainFactory grains)
    {
        var twin = Twin(context, grains, deviceId, moduleId);
        var body = await JsonBody.ReadTextAsync(context, TwinsEndpoints.MaxTwinBodyBytes);
        return TwinsEndpoints.TwinResult(context, await twin.ReplaceAsync(body, context.Request.Headers.IfMatch.ToString(), context.RequestAborted));
    }

    private static Task<Ok<DirectMethodResponseJson>> InvokeMethodAsync(string deviceId, string moduleId, HttpContext context, IGrainFactory grains)
    {
        ModulesEndpoints.Module(context, grains, deviceId, moduleId);
        return MethodsEndpoints.InvokeAsync(ModulesEndpoints.ModuleKey(context, deviceId, moduleId), context, grains);
    }

    private static ITwinServiceGrain Twin(HttpContext context, IGrainFactory grains, string deviceId, string moduleId)
    {
        ModulesEndpoints.Module(context, grains, deviceId, moduleId);
        return grains.GetGrain<ITwinServiceGrain>(ModulesEndpoints.ModuleKey(context, deviceId, moduleId));
    }
}
