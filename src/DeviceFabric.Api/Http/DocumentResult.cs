using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace DeviceFabric.Api.Http;

/// <summary>
/// A <c>200</c> whose body is a JSON document the fabric composed in its one place for that document (the twin, a job,
/// a query page), written as composed rather than parsed and serialized again. <typeparamref name="TShape"/> is the
/// document's Contracts shape, which the endpoint declares for the OpenAPI document.
/// </summary>
internal sealed class DocumentResult<TShape>(string json) : IResult, IEndpointMetadataProvider
{
    private const string ContentType = "application/json; charset=utf-8";

    /// <summary>The document's JSON text.</summary>
    public string Json { get; } = json;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = ContentType;
        return httpContext.Response.WriteAsync(Json, Encoding.UTF8, httpContext.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(TShape), ["application/json"]));
}
