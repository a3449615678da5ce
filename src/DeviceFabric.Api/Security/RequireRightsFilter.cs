using DeviceFabric.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace DeviceFabric.Api.Security;

/// <summary>Authorises the request before the handler runs and records the caller's hub (and, for audit, its policy) for it.</summary>
internal sealed class RequireRightsFilter(AccessRights required, bool any) : IEndpointFilter
{
    private const string HubItem = "devicefabric.hub";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var authenticator = http.RequestServices.GetRequiredService<ServiceAuthenticator>();
        var (hub, policy) = await authenticator.AuthorizeCallerAsync(http.Request.Headers.Authorization, http.Request.Path.Value ?? "/", required, any, http.RequestAborted);
        http.Items[HubItem] = hub;
        // Grains name the caller in audit events by its policy; the request context carries it to them.
        SecurityActor.Set(policy);
        return await next(context);
    }

    /// <summary>The hub the authorised caller acts on.</summary>
    public static string HubOf(HttpContext context) =>
        context.Items[HubItem] as string ?? throw new InvalidOperationException("The endpoint has no RequireRights filter.");
}
