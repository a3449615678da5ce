using System.Net;
using DeviceFabric.Api.Http;
using DeviceFabric.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace DeviceFabric.Api.Security;

/// <summary>
/// Who may read the operators' pages (<c>/metrics</c>, the Orleans dashboard): anyone on this machine, as a scraper
/// or an operator on the node's own host is; from elsewhere, a caller with a token of a hub policy that has RegistryRead.
/// (A reverse proxy on the node's host makes every caller loopback: put it in front of the REST API only.)
/// </summary>
public static class OperatorAccess
{
    /// <summary>Middleware: passes loopback callers and RegistryRead tokens on, and answers IoT Hub's 401 to the rest.</summary>
    public static async Task RequireLoopbackOrTokenAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote))
        {
            await next(context);
            return;
        }

        try
        {
            await context.RequestServices.GetRequiredService<ServiceAuthenticator>()
                .AuthorizeAsync(context.Request.Headers.Authorization, "/", AccessRights.RegistryRead, any: false, context.RequestAborted);
        }
        catch (DeviceFabricException ex)
        {
            await ErrorResults.From(ex, context).ExecuteAsync(context);
            return;
        }

        await next(context);
    }
}
