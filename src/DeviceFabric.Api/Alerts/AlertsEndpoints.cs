using DeviceFabric.Alerts;
using DeviceFabric.Api.Http;
using DeviceFabric.Api.Security;
using DeviceFabric.Contracts;
using DeviceFabric.Contracts.Alerts;
using DeviceFabric.Contracts.Security;
using DeviceFabric.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DeviceFabric.Api.Alerts;

/// <summary>A hub's alert rules (<c>/alerts/rules/{id}</c>) and its history of firings and clearings (<c>/alerts/events</c>).</summary>
internal static class AlertsEndpoints
{
    private const long MaxBodyBytes = 16 * 1024;

    public static void MapAlerts(this RouteGroupBuilder api)
    {
        api.MapGet("/alerts/rules", ListAsync).WithTags("Alerts").WithName("ListAlertRules").WithSummary("Lists the hub's alert rules")
            .RequireRights(AccessRights.RegistryRead);
        api.MapGet("/alerts/rules/{id}", GetAsync).WithTags("Alerts").WithName("GetAlertRule").WithSummary("Reads an alert rule")
            .RequireRights(AccessRights.RegistryRead);
        api.MapPut("/alerts/rules/{id}", PutAsync).WithTags("Alerts").WithName("PutAlertRule")
            .WithSummary("Creates or replaces an alert rule (If-Match honoured); every refusal names its field")
            .DocumentsBody<AlertRuleJson>("application/json").RequireRights(AccessRights.RegistryWrite);
        api.MapDelete("/alerts/rules/{id}", DeleteAsync).WithTags("Alerts").WithName("DeleteAlertRule").WithSummary("Deletes an alert rule")
            .RequireRights(AccessRights.RegistryWrite);
        api.MapGet("/alerts/events", EventsAsync).WithTags("Alerts").WithName("ListAlertEvents")
            .WithSummary("Lists firings and clearings oldest first, after a sequence number, of one rule or device; page on with after=")
            .RequireRights(AccessRights.RegistryRead);
    }

    private static async Task<Ok<ValueListJson<AlertRuleJson>>> ListAsync(HttpContext context, IGrainFactory grains)
    {
        var set = await Rules(context, grains).GetAsync(context.RequestAborted);
        return TypedResults.Ok(new ValueListJson<AlertRuleJson> { Value = set.Rules.Select(AlertMapper.ToJson).ToList() });
    }

    private static async Task<Ok<AlertRuleJson>> GetAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var set = await Rules(context, grains).GetAsync(context.RequestAborted);
        var rule = set.Rules.FirstOrDefault(r => r.Id == id) ?? throw new DeviceFabricException(DeviceFabricErrorCode.AlertRuleNotFound, $"The hub has no alert rule {id}.");
        return TypedResults.Ok(AlertMapper.ToJson(rule));
    }

    private static async Task<Ok<AlertRuleJson>> PutAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync(context, ContractsJsonContext.Default.AlertRuleJson, MaxBodyBytes);
        var stored = await Rules(context, grains).PutAsync(AlertMapper.FromJson(body, id), context.Request.Headers.IfMatch.ToString(), context.RequestAborted);
        return TypedResults.Ok(AlertMapper.ToJson(stored));
    }

    private static async Task<NoContent> DeleteAsync(string id, HttpContext context, IGrainFactory grains)
    {
        await Rules(context, grains).DeleteAsync(id, context.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<ValueListJson<AlertEventJson>>> EventsAsync(HttpContext context, IGrainFactory grains, long? after, string? ruleId, string? deviceId, int? top)
    {
        var events = await grains.GetGrain<IAlertHistoryGrain>(RequireRightsFilter.HubOf(context))
            .ListAsync(after ?? 0, ruleId, deviceId, top ?? 100, context.RequestAborted);
        return TypedResults.Ok(new ValueListJson<AlertEventJson> { Value = events.Select(AlertMapper.ToJson).ToList() });
    }

    private static IAlertRulesGrain Rules(HttpContext context, IGrainFactory grains) => grains.GetGrain<IAlertRulesGrain>(RequireRightsFilter.HubOf(context));
}
