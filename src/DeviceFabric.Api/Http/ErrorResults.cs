using System.Globalization;
using DeviceFabric.Contracts;
using Microsoft.AspNetCore.Http;

namespace DeviceFabric.Api.Http;

/// <summary>Translates the fabric's error vocabulary into IoT Hub's HTTP errors: status, <c>iothub-errorcode</c> header, error body.</summary>
internal static class ErrorResults
{
    public const string ErrorCodeHeader = "iothub-errorcode";

    public static IResult From(DeviceFabricException exception, HttpContext context) =>
        From(exception.Code, exception.Message, context);

    public static IResult From(DeviceFabricErrorCode code, string message, HttpContext context)
    {
        var name = code.WireName();
        var now = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        var trackingId = context.TraceIdentifier;
        context.Response.Headers[ErrorCodeHeader] = name;
        var body = new ErrorJson
        {
            // The Node SDK splits Message on ';' and expects exactly a code and a text.
            Message = $"ErrorCode:{name};{message.Replace(';', ',')}",
            ExceptionMessage = $"Tracking ID:{trackingId}-TimeStamp:{now}",
            ErrorCode = (int)code,
            TrackingId = trackingId,
            TimestampUtc = now,
        };
        return TypedResults.Json(body, ContractsJsonContext.Default.ErrorJson, statusCode: code.HttpStatus());
    }
}
