using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.KeyRotation;

/// <summary>A hub operator's steps with a CA certificate over REST: upload, get a verification code, prove possession.</summary>
internal static class CaSteps
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<JsonElement> UploadAsync(HttpClient http, string name, TestAuthority authority, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/certificates/{name}") { Content = JsonContent.Create(new { properties = new { certificate = authority.Pem } }) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        using var response = await http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    public static async Task<HttpResponseMessage> PostAsync(HttpClient http, string path, string? etag, object? body = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        }

        return await http.SendAsync(request, Ct);
    }

    /// <summary>Uploads the CA and proves possession of its key; returns the verified resource.</summary>
    public static async Task<JsonElement> UploadVerifiedAsync(HttpClient http, string name, TestAuthority authority)
    {
        var uploaded = await UploadAsync(http, name, authority);
        using var coded = await PostAsync(http, $"/certificates/{name}/generateVerificationCode", uploaded.GetProperty("etag").GetString());
        Assert.Equal(HttpStatusCode.OK, coded.StatusCode);
        var withCode = await coded.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var code = withCode.GetProperty("properties").GetProperty("verificationCode").GetString()!;
        using var proof = authority.Issue(code);
        using var verified = await PostAsync(http, $"/certificates/{name}/verify", withCode.GetProperty("etag").GetString(), new { certificate = proof.ExportCertificatePem() });
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        return await verified.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }
}
