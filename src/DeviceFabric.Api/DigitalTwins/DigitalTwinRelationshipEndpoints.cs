using System.Text.Json;
using System.Text.Json.Nodes;
using DeviceFabric.Api.Http;
using DeviceFabric.Api.Security;
using DeviceFabric.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DeviceFabric.Api.DigitalTwins;

/// <summary>Azure Digital Twins' relationship paths: <c>/digitaltwins/{id}/relationships[/{relationshipId}]</c> and <c>/incomingrelationships</c>.</summary>
internal static class DigitalTwinRelationshipEndpoints
{
    public static void Map(RouteGroupBuilder adt)
    {
        adt.MapGet("/digitaltwins/{id}/relationships", ListAsync).WithName("ListDigitalTwinRelationships").WithSummary("Lists a twin's relationships")
            .Produces(200, typeof(JsonElement), "application/json").RequireRights(AccessRights.RegistryRead);
        adt.MapGet("/digitaltwins/{id}/incomingrelationships", IncomingAsync).WithName("ListIncomingDigitalTwinRelationships")
            .WithSummary("Lists the relationships that point at a twin").Produces(200, typeof(JsonElement), "application/json").RequireRights(AccessRights.RegistryRead);
        adt.MapGet("/digitaltwins/{id}/relationships/{relationshipId}", GetAsync).WithName("GetDigitalTwinRelationship").WithSummary("Reads a relationship")
            .Produces(200, typeof(JsonElement), "application/json").RequireRights(AccessRights.RegistryRead);
        adt.MapPut("/digitaltwins/{id}/relationships/{relationshipId}", PutAsync).WithName("PutDigitalTwinRelationship")
            .WithSummary("Creates or replaces a relationship, validated against both twins' models")
            .DocumentsBody<JsonElement>().Produces(200, typeof(JsonElement), "application/json").RequireRights(AccessRights.RegistryWrite);
        adt.MapPatch("/digitaltwins/{id}/relationships/{relationshipId}", PatchAsync).WithName("PatchDigitalTwinRelationship")
            .WithSummary("Updates a relationship's properties with a JSON Patch")
            .DocumentsBody<JsonElement>("application/json-patch+json").Produces(204).RequireRights(AccessRights.RegistryWrite);
        adt.MapDelete("/digitaltwins/{id}/relationships/{relationshipId}", DeleteAsync).WithName("DeleteDigitalTwinRelationship").WithSummary("Deletes a relationship")
            .Produces(204).RequireRights(AccessRights.RegistryWrite);
    }

    private static async Task<IResult> ListAsync(string id, string? relationshipName, HttpContext context, IGrainFactory grains)
    {
        var relationships = await DigitalTwinsEndpoints.Twin(context, grains, id).ListRelationshipsAsync(relationshipName, context.RequestAborted);
        return Page(relationships);
    }

    private static async Task<IResult> IncomingAsync(string id, HttpContext context, IGrainFactory grains) =>
        Page(await DigitalTwinsEndpoints.Twin(context, grains, id).ListIncomingRelationshipsAsync(context.RequestAborted));

    private static async Task<IResult> GetAsync(string id, string relationshipId, HttpContext context, IGrainFactory grains) =>
        DigitalTwinsEndpoints.WithETag(context, await DigitalTwinsEndpoints.Twin(context, grains, id).GetRelationshipAsync(relationshipId, context.RequestAborted));

    private static async Task<IResult> PutAsync(string id, string relationshipId, HttpContext context, IGrainFactory grains)
    {
        var body = await JsonBody.ReadTextAsync(context, 64 * 1024);
        var ifNoneMatch = context.Request.Headers.IfNoneMatch.ToString() == "*";
        return DigitalTwinsEndpoints.WithETag(context, await DigitalTwinsEndpoints.Twin(context, grains, id).PutRelationshipAsync(relationshipId, body, ifNoneMatch, context.RequestAborted));
    }

    private static async Task<IResult> PatchAsync(string id, string relationshipId, HttpContext context, IGrainFactory grains)
    {
        var body = await JsonBody.ReadTextAsync(context, 64 * 1024);
        context.Response.Headers.ETag = await DigitalTwinsEndpoints.Twin(context, grains, id)
            .PatchRelationshipAsync(relationshipId, body, DigitalTwinsEndpoints.IfMatch(context), context.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<IResult> DeleteAsync(string id, string relationshipId, HttpContext context, IGrainFactory grains)
    {
        await DigitalTwinsEndpoints.Twin(context, grains, id).DeleteRelationshipAsync(relationshipId, DigitalTwinsEndpoints.IfMatch(context), context.RequestAborted);
        return Results.NoContent();
    }

    /// <summary>A page as Azure Digital Twins sends one; all of it fits one page here.</summary>
    private static IResult Page(IReadOnlyList<string> items) =>
        DigitalTwinsEndpoints.Json(new JsonObject { ["value"] = new JsonArray([.. items.Select(i => JsonNode.Parse(i))]), ["nextLink"] = null });
}
