using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DeviceFabric.Api.Http;
using DeviceFabric.Api.Security;
using DeviceFabric.DigitalTwins;
using DeviceFabric.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DeviceFabric.Api.DigitalTwins;

/// <summary>
/// The fabric's own paths on the digital twins listener: which devices keep which twins (rules by Plug and Play model
/// id, and one-by-one bindings), and a twin's commands sent to its device as direct methods.
/// </summary>
internal static class DigitalTwinBindingEndpoints
{
    public static void Map(RouteGroupBuilder adt)
    {
        adt.MapGet("/bindings", ListAsync).WithName("ListDigitalTwinBindings").WithSummary("Lists the device-to-twin rules and bindings")
            .Produces(200, typeof(JsonElement), "application/json").RequireRights(AccessRights.RegistryRead);
        adt.MapPut("/bindings/rules/{ruleId}", PutRuleAsync).WithName("PutDigitalTwinBindingRule")
            .WithSummary("Devices announcing a model id keep the twin a pattern names ({\"modelId\", \"twinIdPattern\", \"createTwins\"})")
            .DocumentsBody<JsonElement>().Produces(200, typeof(JsonElement), "application/json").RequireRights(AccessRights.RegistryWrite);
        adt.MapDelete("/bindings/rules/{ruleId}", DeleteRuleAsync).WithName("DeleteDigitalTwinBindingRule").WithSummary("Deletes a binding rule")
            .Produces(204).RequireRights(AccessRights.RegistryWrite);
        adt.MapPut("/bindings/devices/{deviceId}", BindAsync).WithName("BindDeviceToDigitalTwin").WithSummary("A device keeps one twin ({\"twinId\"})")
            .DocumentsBody<JsonElement>().Produces(204).RequireRights(AccessRights.RegistryWrite);
        adt.MapDelete("/bindings/devices/{deviceId}", UnbindAsync).WithName("UnbindDeviceFromDigitalTwin").WithSummary("Removes a device's own binding")
            .Produces(204).RequireRights(AccessRights.RegistryWrite);
        adt.MapPost("/digitaltwins/{id}/commands/{command}", CommandAsync).WithName("InvokeDigitalTwinCommand")
            .WithSummary("Invokes a command of the twin's model on its device (a direct method)")
            .DocumentsBody<JsonElement>().Produces(200, typeof(JsonElement), "application/json").RequireRights(AccessRights.ServiceConnect);
        adt.MapPost("/digitaltwins/{id}/components/{component}/commands/{command}", ComponentCommandAsync).WithName("InvokeDigitalTwinComponentCommand")
            .WithSummary("Invokes a component's command on the twin's device ({component}*{command})")
            .DocumentsBody<JsonElement>().Produces(200, typeof(JsonElement), "application/json").RequireRights(AccessRights.ServiceConnect);
    }

    private static async Task<IResult> ListAsync(HttpContext context, IGrainFactory grains)
    {
        var bindings = await Bindings(context, grains).GetBindingsAsync(-1, context.RequestAborted);
        return DigitalTwinsEndpoints.Json(new JsonObject
        {
            ["rules"] = new JsonArray([.. bindings.Rules!.OrderBy(r => r.RuleId, StringComparer.Ordinal).Select(Rule)]),
            ["devices"] = new JsonObject([.. bindings.Devices!.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => KeyValuePair.Create<string, JsonNode?>(d.Key, d.Value))]),
        });
    }

    private static async Task<IResult> PutRuleAsync(string ruleId, HttpContext context, IGrainFactory grains)
    {
        var body = await BodyAsync(context);
        var rule = new DigitalTwinBindingRule(ruleId, Text(body, "modelId"), Text(body, "twinIdPattern"), body["createTwins"] is not JsonValue create || !create.TryGetValue<bool>(out var b) || b);
        return DigitalTwinsEndpoints.Json(Rule(await Bindings(context, grains).PutRuleAsync(ruleId, rule, context.RequestAborted)));
    }

    private static async Task<IResult> DeleteRuleAsync(string ruleId, HttpContext context, IGrainFactory grains)
    {
        await Bindings(context, grains).DeleteRuleAsync(ruleId, context.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<IResult> BindAsync(string deviceId, HttpContext context, IGrainFactory grains)
    {
        var body = await BodyAsync(context);
        await Bindings(context, grains).BindDeviceAsync(deviceId, Text(body, "twinId"), context.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<IResult> UnbindAsync(string deviceId, HttpContext context, IGrainFactory grains)
    {
        await Bindings(context, grains).UnbindDeviceAsync(deviceId, context.RequestAborted);
        return Results.NoContent();
    }

    private static Task<IResult> CommandAsync(string id, string command, HttpContext context, IGrainFactory grains) => InvokeAsync(context, grains, id, null, command);

    private static Task<IResult> ComponentCommandAsync(string id, string component, string command, HttpContext context, IGrainFactory grains) =>
        InvokeAsync(context, grains, id, component, command);

    private static async Task<IResult> InvokeAsync(HttpContext context, IGrainFactory grains, string id, string? component, string command)
    {
        var payload = await JsonBody.ReadTextAsync(context, 128 * 1024);
        var responseTimeout = Seconds(context, "responseTimeoutInSeconds") ?? DeviceFabric.Methods.DirectMethodRequest.DefaultResponseTimeout;
        var connectTimeout = Seconds(context, "connectTimeoutInSeconds") ?? TimeSpan.Zero;
        var result = await DigitalTwinsEndpoints.Twin(context, grains, id)
            .InvokeCommandAsync(command, component, string.IsNullOrWhiteSpace(payload) ? "null" : payload, responseTimeout, connectTimeout, context.RequestAborted);
        context.Response.Headers["x-ms-command-statuscode"] = result.Status.ToString(CultureInfo.InvariantCulture);
        return Results.Content(result.PayloadJson, "application/json");
    }

    private static TimeSpan? Seconds(HttpContext context, string name) =>
        int.TryParse(context.Request.Query[name], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds) : null;

    private static async Task<JsonObject> BodyAsync(HttpContext context)
    {
        try
        {
            return JsonNode.Parse(await JsonBody.ReadTextAsync(context, 16 * 1024)) as JsonObject
                ?? throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "The body is a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"The body is not JSON: {ex.Message}");
        }
    }

    private static string Text(JsonObject body, string name) =>
        body[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"{name} is required.");

    private static JsonObject Rule(DigitalTwinBindingRule rule) => new()
    {
        ["ruleId"] = rule.RuleId,
        ["modelId"] = rule.ModelId,
        ["twinIdPattern"] = rule.TwinIdPattern,
        ["createTwins"] = rule.CreateTwins,
    };

    private static IDigitalTwinBindingsGrain Bindings(HttpContext context, IGrainFactory grains) =>
        grains.GetGrain<IDigitalTwinBindingsGrain>(RequireRightsFilter.HubOf(context));
}
