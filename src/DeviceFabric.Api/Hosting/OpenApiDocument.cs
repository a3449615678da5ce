using DeviceFabric.Api.Http;
using DeviceFabric.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace DeviceFabric.Api.Hosting;

/// <summary>
/// The REST API's OpenAPI document, served at <c>/openapi/v1.json</c> without a token: what the API is, how callers
/// authenticate (a SAS token of a hub policy in <c>Authorization</c>) and the error body every failure carries.
/// </summary>
internal static class OpenApiDocument
{
    public const string Path = "/openapi/{documentName}.json";

    private const string SchemeName = "SharedAccessSignature";

    /// <summary>IoT Hub's error body, for every status an endpoint may fail with.</summary>
    public static IEnumerable<IProducesResponseTypeMetadata> ErrorResponses { get; } =
        new[] { 400, 401, 403, 404, 409, 412, 413, 429, 500, 503, 504 }
            .Select(status => new ProducesResponseTypeMetadata(status, typeof(ErrorJson), ["application/json"]))
            .ToList();

    public static void Configure(OpenApiOptions options)
    {
        options.AddOperationTransformer(async (operation, context, cancellationToken) =>
        {
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<DocumentedBody>().FirstOrDefault() is { } body)
            {
                var schema = await context.GetOrCreateSchemaAsync(body.Shape, cancellationToken: cancellationToken);
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = body.ContentType == "application/json",
                    Content = new Dictionary<string, OpenApiMediaType> { [body.ContentType] = new() { Schema = schema } },
                };
            }
        });
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "DeviceFabric REST API",
                Version = "v1",
                Description = "IoT Hub's service REST API (paths, bodies, errors; api-version is accepted and ignored), with the fabric's additions.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = "Authorization",
                Description = "SharedAccessSignature sr={host}&sig={signature}&se={expiry}&skn={policy}, signed with a key of a hub policy that has the operation's right.",
            };
            document.Security ??= [];
            document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, document)] = [] });
            return Task.CompletedTask;
        });
    }
}
