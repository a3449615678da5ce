using DeviceFabric.Contracts.Security;
using DeviceFabric.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DeviceFabric.Api.Security;

/// <summary>The hub's security audit history: every key, policy, certificate and revocation change, and expiry warnings.</summary>
internal static class SecurityEventsEndpoints
{
    public static void MapSecurityEvents(this RouteGroupBuilder api)
    {
        api.MapGet("/security/events", ListAsync).WithTags("Security").WithName("ListSecurityEvents")
            .WithSummary("Lists audit events oldest first, after a sequence number, by kind, subject or time; page on with after= the last sequence")
            .RequireRights(AccessRights.RegistryRead);
    }

    private static async Task<Ok<ValueListJson<SecurityEventJson>>> ListAsync(
        HttpContext context, IGrainFactory grains, long? after, string? kind, string? subject, DateTimeOffset? since, int? top)
    {
        var filter = new SecurityAuditFilter(
            after ?? 0,
            string.IsNullOrEmpty(kind) ? null : SecurityMapper.ParseKind(kind),
            string.IsNullOrEmpty(subject) ? null : subject,
            since,
            top ?? 100);
        var events = await grains.GetGrain<ISecurityAuditGrain>(RequireRightsFilter.HubOf(context)).ListAsync(filter, context.RequestAborted);
        return TypedResults.Ok(new ValueListJson<SecurityEventJson> { Value = events.Select(SecurityMapper.ToJson).ToList() });
    }
}
