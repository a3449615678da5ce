using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Updates;

/// <summary>Device Update's import by URL: 202 with an Operation-Location, the downloads checked, the status polled.</summary>
public sealed class UpdateImportApiTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private const string Base = "/deviceUpdate/devicefabric/updates";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static string Sha256(byte[] bytes) => Convert.ToBase64String(SHA256.HashData(bytes));

    /// <summary>An import manifest of one file, <c>fw.bin</c>, for update <paramref name="provider"/>/toaster/3.0.</summary>
    internal static byte[] Manifest(string provider, byte[] file) => Encoding.UTF8.GetBytes(
        "{\"updateId\":{\"provider\":\"" + provider + "\",\"name\":\"toaster\",\"version\":\"3.0\"},\"compatibility\":[{\"manufacturer\":\"contoso\",\"model\":\"toaster\"}],"
        + "\"instructions\":{\"steps\":[{\"handler\":\"microsoft/script:1\",\"files\":[\"fw.bin\"]}]},"
        + "\"files\":[{\"filename\":\"fw.bin\",\"sizeInBytes\":" + file.Length + ",\"hashes\":{\"sha256\":\"" + Sha256(file) + "\"}}],"
        + "\"manifestVersion\":\"4.0\",\"createdDateTime\":\"2026-01-01T00:00:00Z\"}");

    private static StringContent Import(string manifestUrl, byte[] manifest, string fileUrl) =>
        new(ImportJson(manifestUrl, manifest, fileUrl), Encoding.UTF8, "application/json");

    /// <summary>The body of an import by URL of <paramref name="manifest"/> and its one file.</summary>
    internal static string ImportJson(string manifestUrl, byte[] manifest, string fileUrl) =>
        "[{\"importManifest\":{\"url\":\"" + manifestUrl + "\",\"sizeInBytes\":" + manifest.Length + ",\"hashes\":{\"sha256\":\"" + Sha256(manifest) + "\"}},"
        + "\"files\":[{\"filename\":\"fw.bin\",\"url\":\"" + fileUrl + "\"}]}]";

    private static Task<JsonElement> EndedAsync(HttpClient http, Uri location) => Eventually.HoldsAsync(
        async () => await ApiAssert.JsonAsync(await http.GetAsync(location.PathAndQuery, Ct)),
        operation => operation.GetProperty("status").GetString() is "Succeeded" or "Failed",
        "the import ends");

    [Fact]
    public async Task AnImportByUrl_Answers202_DownloadsAndChecksTheFiles_AndSucceeds()
    {
        await using var server = new LocalFileServer();
        using var http = fixture.Node.CreateHttpClient();
        var provider = "url" + Guid.NewGuid().ToString("N")[..8];
        var file = RandomNumberGenerator.GetBytes(50_000);
        var manifest = Manifest(provider, file);
        var response = await http.PostAsync($"{Base}:import?api-version=2022-10-01", Import(server.Add("m.json", manifest), manifest, server.Add("fw.bin", file)), Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var location = new Uri(Assert.Single(response.Headers.GetValues("Operation-Location")));

        var operation = await EndedAsync(http, location);
        Assert.Equal("Succeeded", operation.GetProperty("status").GetString());
        Assert.Equal(provider, operation.GetProperty("update").GetProperty("updateId").GetProperty("provider").GetString());
        var resource = operation.GetProperty("resourceLocation").GetString()!;
        var update = await ApiAssert.JsonAsync(await http.GetAsync(resource, Ct));
        Assert.Equal("3.0", update.GetProperty("updateId").GetProperty("version").GetString());
        Assert.Equal(file, await http.GetByteArrayAsync($"{resource}/files/f0/content", Ct));
    }

    [Fact]
    public async Task AnImportWhoseDownloadsAreNotWhatItSays_Fails_NamingWhy_AndImportsNothing()
    {
        await using var server = new LocalFileServer();
        using var http = fixture.Node.CreateHttpClient();
        var provider = "bad" + Guid.NewGuid().ToString("N")[..8];
        var file = Encoding.UTF8.GetBytes("firmware");
        var manifest = Manifest(provider, file);

        // The manifest served is not the one whose hash the caller gave.
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(manifest).Replace("3.0", "3.1", StringComparison.Ordinal));
        var first = await http.PostAsync($"{Base}:import", Import(server.Add("tampered.json", tampered), manifest, server.Add("fw.bin", file)), Ct);
        var failed = await EndedAsync(http, new Uri(Assert.Single(first.Headers.GetValues("Operation-Location"))));
        Assert.Equal("Failed", failed.GetProperty("status").GetString());
        Assert.Contains("not the one", failed.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        // A file that is not there.
        var second = await http.PostAsync($"{Base}:import", Import(server.Add("m.json", manifest), manifest, $"http://127.0.0.1:{server.Port}/missing.bin"), Ct);
        var missing = await EndedAsync(http, new Uri(Assert.Single(second.Headers.GetValues("Operation-Location"))));
        Assert.Equal("Failed", missing.GetProperty("status").GetString());
        Assert.Contains("404", missing.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(provider, missing.GetProperty("update").GetProperty("updateId").GetProperty("provider").GetString());

        // A URL for a file the manifest does not name is never downloaded.
        var third = await http.PostAsync($"{Base}:import", new StringContent(
            "[{\"importManifest\":{\"url\":\"" + server.Add("m2.json", manifest) + "\",\"sizeInBytes\":" + manifest.Length + ",\"hashes\":{\"sha256\":\"" + Sha256(manifest) + "\"}},"
            + "\"files\":[{\"filename\":\"other.bin\",\"url\":\"" + server.Add("other.bin", file) + "\"}]}]", Encoding.UTF8, "application/json"), Ct);
        var unnamed = await EndedAsync(http, new Uri(Assert.Single(third.Headers.GetValues("Operation-Location"))));
        Assert.Contains("must list exactly the files", unnamed.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"{Base}/providers/{provider}/names/toaster/versions/3.0", Ct)).StatusCode);
        var malformed = await http.PostAsync($"{Base}:import", new StringContent("[]", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }
}
