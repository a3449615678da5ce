using System.Text.Json.Nodes;
using DeviceFabric.Api.Http;
using DeviceFabric.Api.Security;
using DeviceFabric.Contracts;
using DeviceFabric.Devices;
using DeviceFabric.Security;
using DeviceFabric.Twins;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DeviceFabric.Api.Twins;

/// <summary>IoT Hub's twin API: <c>GET</c>, <c>PATCH</c> (merge tags and desired) and <c>PUT</c> (replace them) on <c>/twins/{id}</c>.</summary>
internal static class TwinsEndpoints
{
    internal const long MaxTwinBodyBytes = 128 * 1024;

    public static void MapTwins(this RouteGroupBuilder api)
    {
        var twins = api.MapGroup(string.Empty).WithTags("Twins");
        twins.MapGet("/twins/{deviceId}", GetTwinAsync).WithName("GetTwin").WithSummary("Reads the twin")
            .RequireAnyRight(AccessRights.ServiceConnect | AccessRights.RegistryRead);
        twins.MapPatch("/twins/{deviceId}", PatchTwinAsync).WithName("PatchTwin").WithSummary("Merges tags and desired properties (null removes)")
            .DocumentsBody<TwinJson>("application/json").RequireRights(AccessRights.ServiceConnect);
        twins.MapPut("/twins/{deviceId}", ReplaceTwinAsync).WithName("ReplaceTwin").WithSummary("Replaces tags and desired properties")
            .DocumentsBody<TwinJson>("application/json").RequireRights(AccessRights.ServiceConnect);
    }

    private static async Task<DocumentResult<TwinJson>> GetTwinAsync(string deviceId, HttpContext context, IGrainFactory grains) =>
        TwinResult(context, await Twin(context, grains, deviceId).GetAsync(context.RequestAborted));

    private static async Task<DocumentResult<TwinJson>> PatchTwinAsync(string deviceId, HttpContext context, IGrainFactory grains)
    {
        var twin = Twin(context, grains, deviceId);
        var body = await JsonBody.ReadTextAsync(context, MaxTwinBodyBytes);
        return TwinResult(context, await twin.UpdateAsync(body, context.Request.Headers.IfMatch.ToString(), context.RequestAborted));
    }

    private static async Task<DocumentResult<TwinJson>> ReplaceTwinAsync(string deviceId, HttpContext context, IGrainFactory grains)
    {
        var twin = Twin(context, grains, deviceId);
        var body = await JsonBody.ReadTextAsync(context, MaxTwinBodyBytes);
        return TwinResult(context, await twin.ReplaceAsync(body, context.Request.Headers.IfMatch.ToString(), context.RequestAborted));
    }

    private static ITwinServiceGrain Twin(HttpContext context, IGrainFactory grains, string deviceId)
    {
        DeviceIdRules.ThrowIfInvalid(deviceId);
        return grains.GetGrain<ITwinServiceGrain>(DeviceKey.Create(RequireRightsFilter.HubOf(context), deviceId));
    }

    internal static DocumentResult<TwinJson> TwinResult(HttpContext context, string twinJson)
    {
        if (JsonNode.Parse(twinJson)?["etag"]?.GetValue<string>() is { } etag)
        {
            context.Response.Headers.ETag = $"\"{etag}\"";
        }

        return new DocumentResult<TwinJson>(twinJson);
    }
}
