using DeviceFabric.Security;
using Microsoft.AspNetCore.Builder;
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
        http.Items[HubItem] = await authenticator.AuthorizeAsync(http.Request.Headers.Authorization, required, any, http.RequestAborted);
        return await next(context);
    }

    /// <summary>The hub the authorised caller acts on.</summary>
    public static string HubOf(HttpContext context) =>
        context.Items[HubItem] as string ?? throw new InvalidOperationException("The endpoint has no RequireRights filter.");
}

/// <summary>Declares the right an endpoint needs.</summary>
internal static class RequireRightsExtensions
{
    /// <summary>The caller's policy must carry every one of <paramref name="rights"/>.</summary>
    public static TBuilder RequireRights<TBuilder>(this TBuilder builder, AccessRights rights)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(new RequireRightsFilter(rights, any: false));

    /// <summary>The caller's policy must carry at least one of <paramref name="rights"/>.</summary>
    public static TBuilder RequireAnyRight<TBuilder>(this TBuilder builder, AccessRights rights)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(new RequireRightsFilter(rights, any: true));
}
