using System.Globalization;
using DeviceFabric.Contracts.Provisioning;
using DeviceFabric.Provisioning;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace DeviceFabric.Api.Provisioning;

/// <summary>Authorises a provisioning service request before its handler runs.</summary>
internal sealed class RequireProvisioningRightsFilter(ProvisioningRights required) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        await http.RequestServices.GetRequiredService<ProvisioningAuthenticator>().AuthorizeAsync(http.Request.Headers.Authorization, required, http.RequestAborted);
        return await next(context);
    }
}

/// <summary>
/// Turns the fabric's errors into DPS's: the status, <c>x-ms-error-code</c>, and <c>{"errorCode", "trackingId",
/// "message", "timestampUtc"}</c>. Runs inside the API's own error filter, so unexpected faults are still logged once.
/// </summary>
internal sealed class ProvisioningErrorFilter(TimeProvider time) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (DeviceFabricException ex)
        {
            var http = context.HttpContext;
            http.Response.Headers["x-ms-error-code"] = ((int)ex.Code).ToString(CultureInfo.InvariantCulture);
            return TypedResults.Json(
                RegistrationJson.Error(ex.Code, ex.Message, http.TraceIdentifier, time.GetUtcNow()),
                ProvisioningJsonContext.Default.ProvisioningErrorJson,
                statusCode: ex.Code.HttpStatus());
        }
    }
}

/// <summary>Declares the right a provisioning endpoint needs.</summary>
internal static class ProvisioningRightsExtensions
{
    public static TBuilder RequireProvisioningRights<TBuilder>(this TBuilder builder, ProvisioningRights rights)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(new RequireProvisioningRightsFilter(rights));
}
