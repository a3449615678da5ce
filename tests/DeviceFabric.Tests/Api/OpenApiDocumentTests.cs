using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DeviceFabric.Tests.Api;

/// <summary>The REST API's OpenAPI document: readable without a token, and listing every endpoint the API maps.</summary>
public sealed class OpenApiDocumentTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Document_IsReadableWithoutAToken_AndListsEveryMappedEndpoint()
    {
        using var anonymous = fixture.Node.CreateHttpClient(authorization: null);
        var response = await anonymous.GetAsync("/openapi/v1.json", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var paths = document.RootElement.GetProperty("paths");

        var documented = paths.EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => $"{operation.Name.ToUpperInvariant()} {path.Name}"))
            .Order(StringComparer.Ordinal)
            .ToList();
        var mapped = fixture.Node.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>() is { HttpMethods.Count: > 0 })
            .Where(e => e.RoutePattern.RawText is { } route && !route.StartsWith("/openapi/", StringComparison.Ordinal)
                // The portal's pages, its Blazor circuit and its static files (routes without a leading '/') are a web
                // app beside the API, not part of it.
                && route.StartsWith('/') && !route.StartsWith("/portal", StringComparison.Ordinal) && !route.StartsWith("/_", StringComparison.Ordinal))
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(mapped);
        Assert.Equal(mapped, documented);

        foreach (var path in paths.EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var responses = operation.Value.GetProperty("responses");
                var success = responses.EnumerateObject().Single(r => r.Name.StartsWith('2'));
                Assert.True(success.Name == "204" || success.Value.TryGetProperty("content", out _), $"{operation.Name} {path.Name} documents no success body");
                Assert.True(responses.TryGetProperty("401", out _), $"{operation.Name} {path.Name} documents no error body");
            }
        }

        var scheme = document.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("SharedAccessSignature");
        Assert.Equal("Authorization", scheme.GetProperty("name").GetString());
    }
}
