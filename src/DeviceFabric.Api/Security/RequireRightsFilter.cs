using DeviceFabric.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace DeviceFabric.Api.Security;

/// <summary>Authorises the request before the handler runs and records the caller's hub for it.</summary>
internal sealed class RequireRightsFilter(AccessRights required, bool any) : IEndpointFilter
{
    private const string HubItem = "devicefabric.hub";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var authenticator = http.RequestServices.GetRequiredService<ServiceAuthenticator>();
        http.Items[HubItem] = await authenticator.AuthorizeAsync(http.Request.Headers.Authorization, http.Request.Path.Value ?? "/", required, any, http.RequestAborted);
        return await next(context);
    }

    /// <summary>The hub the authorised caller acts on.</summary>
    public static string HubOf(HttpContext context) =>
        context.Items[HubItem] as string ?? throw new InvalidOperationException("The endpoint has no RequireRights filter.");
}
