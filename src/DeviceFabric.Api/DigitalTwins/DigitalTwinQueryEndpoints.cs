using System.Text.Json;
using System.Text.Json.Nodes;
using DeviceFabric.Api.Http;
using DeviceFabric.Api.Security;
using DeviceFabric.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DeviceFabric.Api.DigitalTwins;

/// <summary>Azure Digital Twins' <c>POST /query</c>: a query, or the continuation token of a page, and <c>max-items-per-page</c>.</summary>
internal static class DigitalTwinQueryEndpoints
{
    public static void Map(RouteGroupBuilder adt) =>
        adt.MapPost("/query", QueryAsync).WithName("QueryDigitalTwins").WithSummary("Runs a digital twins query, a page at a time")
            .DocumentsBody<JsonElement>().Produces(200, typeof(JsonElement), "application/json").RequireRights(AccessRights.RegistryRead);

    private static async Task<IResult> QueryAsync(HttpContext context, IGrainFactory grains)
    {
        JsonObject? body;
        try
        {
            body = JsonNode.Parse(await JsonBody.ReadTextAsync(context, 64 * 1024)) as JsonObject;
        }
        catch (JsonException)
        {
            body = null;
        }

        var query = body?["query"] is JsonValue q && q.TryGetValue<string>(out var text) ? text : null;
        var token = body?["continuationToken"] is JsonValue t && t.TryGetValue<string>(out var tokenText) ? tokenText : null;
        if (query is null && token is null)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "The body is {\"query\": \"...\"} or {\"continuationToken\": \"...\"}.");
        }

        var pageSize = int.TryParse(context.Request.Headers["max-items-per-page"], out var size) ? size : 100;
        var page = await grains.GetGrain<DeviceFabric.DigitalTwins.IDigitalTwinQueryGrain>(RequireRightsFilter.HubOf(context))
            .QueryAsync(query, token, pageSize, context.RequestAborted);
        context.Response.Headers["query-charge"] = "1";
        var result = new JsonObject { ["value"] = new JsonArray([.. page.Items.Select(i => JsonNode.Parse(i))]) };
        if (page.ContinuationToken is { } next)
        {
            result["continuationToken"] = next;
        }

        return DigitalTwinsEndpoints.Json(result);
    }
}
