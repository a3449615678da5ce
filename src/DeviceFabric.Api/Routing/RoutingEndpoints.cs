using DeviceFabric.Api.Http;
using DeviceFabric.Api.Security;
using DeviceFabric.Contracts;
using DeviceFabric.Contracts.Routing;
using DeviceFabric.Routing;
using DeviceFabric.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DeviceFabric.Api.Routing;

/// <summary>A hub's message routing: endpoints, routes and enrichments, read and replaced whole (<c>/routing</c>).</summary>
internal static class RoutingEndpoints
{
    private const long MaxBodyBytes = 64 * 1024;

    public static void MapRouting(this RouteGroupBuilder api)
    {
        api.MapGet("/routing", GetAsync).WithTags("Routing").WithName("GetRouting").WithSummary("Reads the hub's endpoints, routes and enrichments")
            .RequireRights(AccessRights.RegistryRead);
        api.MapPut("/routing", PutAsync).WithTags("Routing").WithName("PutRouting")
            .WithSummary("Replaces the hub's endpoints, routes and enrichments (If-Match honoured); a condition that does not parse is refused with its position")
            .DocumentsBody<RoutingJson>("application/json").RequireRights(AccessRights.RegistryWrite);
    }

    private static async Task<Ok<RoutingJson>> GetAsync(HttpContext context, IGrainFactory grains) =>
        TypedResults.Ok(RoutingMapper.ToJson(await grains.GetGrain<IRoutingGrain>(RequireRightsFilter.HubOf(context)).GetAsync(context.RequestAborted)));

    private static async Task<Ok<RoutingJson>> PutAsync(HttpContext context, IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync(context, ContractsJsonContext.Default.RoutingJson, MaxBodyBytes);
        var stored = await grains.GetGrain<IRoutingGrain>(RequireRightsFilter.HubOf(context))
            .PutAsync(RoutingMapper.FromJson(body), context.Request.Headers.IfMatch.ToString(), context.RequestAborted);
        return TypedResults.Ok(RoutingMapper.ToJson(stored));
    }
}
