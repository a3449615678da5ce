using System.Text.Json;
using System.Text.Json.Nodes;
using DeviceFabric.Api.Http;
using DeviceFabric.Api.Security;
using DeviceFabric.DigitalTwins;
using DeviceFabric.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DeviceFabric.Api.DigitalTwins;

/// <summary>
/// Azure Digital Twins' data plane (api-version 2023-10-31 and earlier; accepted and ignored) on the digital twins
/// listener: models, twins, components and relationships. Reading needs registry read, writing registry write; tokens
/// come as bearer tokens.
/// </summary>
internal static class DigitalTwinsEndpoints
{
    private const long MaxBodyBytes = 1024 * 1024;

    public static void MapDigitalTwins(this IEndpointRouteBuilder endpoints)
    {
        // Port 0 turns the API off: not mapped at all, so it never answers on the hub's port.
        if (endpoints.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<DigitalTwinOptions>>().Value.HttpsPort == 0)
        {
            return;
        }

        var adt = endpoints.MapGroup(string.Empty).WithTags("Digital Twins").WithMetadata(DigitalTwinsEndpointMetadata.Instance);
        adt.AddEndpointFilter<DigitalTwinsErrorFilter>();
        foreach (var error in Hosting.OpenApiDocument.ErrorResponses)
        {
            adt.WithMetadata(error);
        }

        adt.MapPost("/models", AddModelsAsync).WithName("AddDigitalTwinModels").WithSummary("Uploads DTDL interfaces, all or none")
            .DocumentsBody<JsonElement>().Produces(201, typeof(JsonElement), "application/json").RequireRights(AccessRights.RegistryWrite);
        adt.MapGet("/models", ListModelsAsync).WithName("ListDigitalTwinModels").WithSummary("Lists models, or those given and their dependencies")
            .Produces(200, typeof(JsonElement), "application/json").RequireRights(AccessRights.RegistryRead);
        adt.MapGet("/models/{id}", GetModelAsync).WithName("GetDigitalTwinModel").WithSummary("Reads a model")
            .Produces(200, typeof(JsonElement), "application/json").RequireRights(AccessRights.RegistryRead);
        adt.MapPatch("/models/{id}", DecommissionAsync).WithName("DecommissionDigitalTwinModel").WithSummary("Decommissions a model (replace /decommissioned with true)")
            .DocumentsBody<JsonElement>("application/json-patch+json").Produces(204).RequireRights(AccessRights.RegistryWrite);
        adt.MapDelete("/models/{id}", DeleteModelAsync).WithName("DeleteDigitalTwinModel").WithSummary("Deletes a model no model or twin uses")
            .Produces(204).RequireRights(AccessRights.RegistryWrite);

        adt.MapGet("/digitaltwins/{id}", GetTwinAsync).WithName("GetDigitalTwin").WithSummary("Reads a digital twin")
            .Produces(200, typeof(JsonElement), "application/json").RequireRights(AccessRights.RegistryRead);
        adt.MapPut("/digitaltwins/{id}", PutTwinAsync).WithName("PutDigitalTwin").WithSummary("Creates or replaces a digital twin, validated against its model")
            .DocumentsBody<JsonElement>().Produces(200, typeof(JsonElement), "application/json").RequireRights(AccessRights.RegistryWrite);
        adt.MapPatch("/digitaltwins/{id}", PatchTwinAsync).WithName("PatchDigitalTwin").WithSummary("Updates a digital twin with a JSON Patch")
            .DocumentsBody<JsonElement>("application/json-patch+json").Produces(204).RequireRights(AccessRights.RegistryWrite);
        adt.MapDelete("/digitaltwins/{id}", DeleteTwinAsync).WithName("DeleteDigitalTwin").WithSummary("Deletes a digital twin without relationships")
            .Produces(204).RequireRights(AccessRights.RegistryWrite);
        adt.MapGet("/digitaltwins/{id}/components/{component}", GetComponentAsync).WithName("GetDigitalTwinComponent").WithSummary("Reads a component")
            .Produces(200, typeof(JsonElement), "application/json").RequireRights(AccessRights.RegistryRead);
        adt.MapPatch("/digitaltwins/{id}/components/{component}", PatchComponentAsync).WithName("PatchDigitalTwinComponent").WithSummary("Updates a component with a JSON Patch")
            .DocumentsBody<JsonElement>("application/json-patch+json").Produces(204).RequireRights(AccessRights.RegistryWrite);
        DigitalTwinRelationshipEndpoints.Map(adt);
        DigitalTwinQueryEndpoints.Map(adt);
        DigitalTwinBindingEndpoints.Map(adt);
    }

    private static async Task<IResult> AddModelsAsync(HttpContext context, IGrainFactory grains)
    {
        var body = await JsonBody.ReadTextAsync(context, MaxBodyBytes);
        var added = await Models(context, grains).AddAsync(body, context.RequestAborted);
        return Results.Content(new JsonArray([.. added.Select(m => ModelJson(m))]).ToJsonString(), "application/json", statusCode: 201);
    }

    private static async Task<IResult> ListModelsAsync(HttpContext context, IGrainFactory grains, bool? includeModelDefinition)
    {
        var dependenciesFor = context.Request.Query["dependenciesFor"].Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).ToList();
        var models = await Models(context, grains).ListAsync(dependenciesFor, includeModelDefinition == true, context.RequestAborted);
        return Json(new JsonObject { ["value"] = new JsonArray([.. models.Select(m => ModelJson(m))]), ["nextLink"] = null });
    }

    private static async Task<IResult> GetModelAsync(string id, bool? includeModelDefinition, HttpContext context, IGrainFactory grains) =>
        Json(ModelJson(await Models(context, grains).GetAsync(id, includeModelDefinition == true, context.RequestAborted)));

    private static async Task<IResult> DecommissionAsync(string id, HttpContext context, IGrainFactory grains)
    {
        JsonNode? patch;
        try
        {
            patch = JsonNode.Parse(await JsonBody.ReadTextAsync(context, 64 * 1024));
        }
        catch (JsonException)
        {
            patch = null;
        }

        // The only change a model takes: [{"op":"replace","path":"/decommissioned","value":true}].
        if (patch is not JsonArray { Count: 1 } operations || operations[0] is not JsonObject operation || operation["op"]?.ToString() != "replace" || operation["path"]?.ToString() != "/decommissioned"
            || operation["value"] is not JsonValue value || !value.TryGetValue<bool>(out var decommission) || !decommission)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.JsonPatchInvalid, "A model's patch is one replace of /decommissioned with true.");
        }

        await Models(context, grains).DecommissionAsync(id, context.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<IResult> DeleteModelAsync(string id, HttpContext context, IGrainFactory grains)
    {
        await Models(context, grains).DeleteAsync(id, context.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<IResult> GetTwinAsync(string id, HttpContext context, IGrainFactory grains) =>
        WithETag(context, await Twin(context, grains, id).GetAsync(context.RequestAborted));

    private static async Task<IResult> PutTwinAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var body = await JsonBody.ReadTextAsync(context, 64 * 1024);
        var ifNoneMatch = context.Request.Headers.IfNoneMatch.ToString();
        return WithETag(context, await Twin(context, grains, id).PutAsync(body, ifNoneMatch == "*", IfMatch(context), context.RequestAborted));
    }

    private static Task<IResult> PatchTwinAsync(string id, HttpContext context, IGrainFactory grains) => PatchAsync(context, grains, id, null);

    private static Task<IResult> PatchComponentAsync(string id, string component, HttpContext context, IGrainFactory grains) => PatchAsync(context, grains, id, component);

    private static async Task<IResult> PatchAsync(HttpContext context, IGrainFactory grains, string id, string? component)
    {
        var body = await JsonBody.ReadTextAsync(context, 64 * 1024);
        context.Response.Headers.ETag = await Twin(context, grains, id).PatchAsync(body, IfMatch(context), component, context.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<IResult> DeleteTwinAsync(string id, HttpContext context, IGrainFactory grains)
    {
        await Twin(context, grains, id).DeleteAsync(IfMatch(context), context.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<IResult> GetComponentAsync(string id, string component, HttpContext context, IGrainFactory grains) =>
        Json(JsonNode.Parse(await Twin(context, grains, id).GetComponentAsync(component, context.RequestAborted))!);

    internal static JsonObject ModelJson(DigitalTwinModelData model)
    {
        var json = new JsonObject
        {
            ["id"] = model.Id,
            ["displayName"] = new JsonObject([.. model.DisplayName.Select(d => KeyValuePair.Create<string, JsonNode?>(d.Key, d.Value))]),
            ["description"] = new JsonObject([.. model.Description.Select(d => KeyValuePair.Create<string, JsonNode?>(d.Key, d.Value))]),
            ["uploadTime"] = model.UploadTime.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["decommissioned"] = model.Decommissioned,
        };
        if (model.Model is { } definition)
        {
            json["model"] = JsonNode.Parse(definition);
        }

        return json;
    }

    internal static IResult Json(JsonNode node) => Results.Content(node.ToJsonString(), "application/json");

    /// <summary>A twin's or relationship's JSON, with its <c>$etag</c> as the ETag header.</summary>
    internal static IResult WithETag(HttpContext context, string json)
    {
        var node = JsonNode.Parse(json)!;
        if (node["$etag"] is JsonValue etag && etag.TryGetValue<string>(out var value))
        {
            context.Response.Headers.ETag = value;
        }

        return Results.Content(json, "application/json");
    }

    internal static string? IfMatch(HttpContext context) => context.Request.Headers.IfMatch.ToString() is { Length: > 0 } value ? value : null;

    internal static IDigitalTwinGrain Twin(HttpContext context, IGrainFactory grains, string id) =>
        DigitalTwinKeys.IsValidId(id)
            ? grains.GetGrain<IDigitalTwinGrain>(DigitalTwinKeys.Key(RequireRightsFilter.HubOf(context), id))
            : throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"A twin id is 1-{DigitalTwinKeys.MaxIdLength} characters without a slash.");

    private static IDigitalTwinModelsGrain Models(HttpContext context, IGrainFactory grains) =>
        grains.GetGrain<IDigitalTwinModelsGrain>(RequireRightsFilter.HubOf(context));
}
