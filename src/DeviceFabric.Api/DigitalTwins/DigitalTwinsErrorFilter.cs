using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DeviceFabric.Api.DigitalTwins;

/// <summary>
/// The fabric's error vocabulary as Azure Digital Twins writes it: the status, an <c>x-ms-error-code</c> header and
/// <c>{"error":{"code":...,"message":...}}</c>, with ADT's code names.
/// </summary>
internal sealed partial class DigitalTwinsErrorFilter(ILogger<DigitalTwinsErrorFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (DeviceFabricException ex)
        {
            return Error(ex.Code, ex.Message, context.HttpContext);
        }
        catch (BadHttpRequestException ex)
        {
            return Error(DeviceFabricErrorCode.ArgumentInvalid, ex.Message, context.HttpContext);
        }
        catch (Exception ex) when (!context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            LogUnexpected(logger, ex, context.HttpContext.TraceIdentifier);
            return Error(DeviceFabricErrorCode.ServerError, "The fabric failed to serve the request.", context.HttpContext);
        }
    }

    public static IResult Error(DeviceFabricErrorCode code, string message, HttpContext context)
    {
        var name = code switch
        {
            DeviceFabricErrorCode.ArgumentInvalid or DeviceFabricErrorCode.MalformedBody or DeviceFabricErrorCode.DeserializationError => "InvalidArgument",
            DeviceFabricErrorCode.DtdlParserError => "DTDLParserError",
            DeviceFabricErrorCode.IotHubUnauthorizedAccess => "Unauthorized",
            DeviceFabricErrorCode.ServerError => "InternalServerError",
            _ => code.ToString(),
        };
        context.Response.Headers["x-ms-error-code"] = name;
        var body = new JsonObject { ["error"] = new JsonObject { ["code"] = name, ["message"] = message } };
        return Results.Content(body.ToJsonString(), "application/json", statusCode: code.HttpStatus());
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Digital twins request {TrackingId} failed")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string trackingId);
}
