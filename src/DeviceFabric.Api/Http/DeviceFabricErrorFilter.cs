using DeviceFabric.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DeviceFabric.Api.Http;

/// <summary>
/// Turns every failure of an endpoint into IoT Hub's error shape: the fabric's own errors keep their code, a body
/// too large for Kestrel is a 400, anything else is logged and answered 500 without details.
/// </summary>
internal sealed partial class DeviceFabricErrorFilter(TimeProvider time, ILogger<DeviceFabricErrorFilter> logger) : IEndpointFilter
{
    // A request that fails the server can be sent again and again: one line a minute per endpoint and error type.
    private readonly RepeatedEventFilter _failures = new(time, TimeSpan.FromMinutes(1));

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (DeviceFabricException ex)
        {
            return ErrorResults.From(ex, context.HttpContext);
        }
        catch (BadHttpRequestException ex)
        {
            return ErrorResults.From(DeviceFabricErrorCode.MalformedBody, ex.Message, context.HttpContext);
        }
        catch (Exception ex) when (!context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            var endpoint = context.HttpContext.GetEndpoint()?.DisplayName ?? context.HttpContext.Request.Path.ToString();
            if (_failures.ShouldLog(string.Concat(endpoint, "|", ex.GetType().FullName), out var suppressed))
            {
                LogUnexpected(logger, ex, context.HttpContext.TraceIdentifier, suppressed);
            }

            return ErrorResults.From(DeviceFabricErrorCode.ServerError, "The fabric failed to serve the request.", context.HttpContext);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {TrackingId} failed ({Suppressed} more like it left out since the last line)")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string trackingId, long suppressed);
}
