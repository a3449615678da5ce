using Microsoft.AspNetCore.Builder;

namespace DeviceFabric.Api.Http;

/// <summary>
/// The body an endpoint reads, for the OpenAPI document only. ASP.NET's <c>Accepts</c> would also refuse other content
/// types with 415, and IoT Hub's clients (curl among them) do not always send <c>application/json</c>.
/// </summary>
internal sealed record DocumentedBody(Type Shape, string ContentType);

/// <summary>Declares the body an endpoint reads.</summary>
internal static class DocumentedBodyExtensions
{
    public static RouteHandlerBuilder DocumentsBody<TShape>(this RouteHandlerBuilder builder, string contentType = "application/json") =>
        builder.WithMetadata(new DocumentedBody(typeof(TShape), contentType));
}
