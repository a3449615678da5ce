using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using DeviceFabric.Tests.Api;

namespace DeviceFabric.Tests.Updates;

/// <summary>The update catalog over HTTPS: an upload of a manifest and its files, the listings, downloads with Range, refusals.</summary>
public sealed class UpdateCatalogApiTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private const string Base = "/deviceUpdate/devicefabric/updates";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Manifest(string provider, string version, params (string Name, byte[] Bytes)[] files) => $$$"""
        {"updateId":{"provider":"{{{provider}}}","name":"toaster","version":"{{{version}}}"},"compatibility":[{"manufacturer":"contoso","model":"toaster"}],
         "instructions":{"steps":[{"handler":"microsoft/swupdate:1","files":[{{{string.Join(",", files.Select(f => $"\"{f.Name}\""))}}}],"handlerProperties":{"installedCriteria":"{{{version}}}"}}]},
         "files":[{{{string.Join(",", files.Select(f => FileEntry(f.Name, f.Bytes)))}}}],
         "manifestVersion":"4.0","createdDateTime":"2026-01-01T00:00:00Z"}
        """;

    private static string FileEntry(string name, byte[] bytes) =>
        "{\"filename\":\"" + name + "\",\"sizeInBytes\":" + bytes.Length + ",\"hashes\":{\"sha256\":\"" + Convert.ToBase64String(SHA256.HashData(bytes)) + "\"}}";

    private static MultipartFormDataContent Upload(string manifest, params (string Name, byte[] Bytes)[] files)
    {
        var form = new MultipartFormDataContent { { new StringContent(manifest, Encoding.UTF8, "application/json"), "importManifest" } };
        foreach (var (name, bytes) in files)
        {
            form.Add(new ByteArrayContent(bytes), "file", name);
        }

        return form;
    }

    private static string NewProvider() => "p" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task AnUploadedUpdate_IsListed_AndItsFilesDownload_WholeOrByRange()
    {
        using var http = fixture.Node.CreateHttpClient();
        var provider = NewProvider();
        var firmware = RandomNumberGenerator.GetBytes(200_000);
        var script = Encoding.UTF8.GetBytes("#!/bin/sh\necho ok\n");
        var manifest = Manifest(provider, "1.2", ("firmware.swu", firmware), ("install.sh", script));
        var created = await http.PostAsync($"{Base}:upload", Upload(manifest, ("firmware.swu", firmware), ("install.sh", script)), Ct);
        var update = await ApiAssert.JsonAsync(created, HttpStatusCode.Created);
        Assert.Equal("1.2", update.GetProperty("updateId").GetProperty("version").GetString());
        Assert.Equal("microsoft/swupdate:1", update.GetProperty("instructions").GetProperty("steps")[0].GetProperty("handler").GetString());

        var version = $"{Base}/providers/{provider}/names/toaster/versions/1.2";
        Assert.Equal([provider], (await ApiAssert.JsonAsync(await http.GetAsync($"{Base}/providers", Ct))).GetProperty("value").EnumerateArray()
            .Select(v => v.GetString()).Where(p => p == provider));
        Assert.Equal(["1.2"], (await ApiAssert.JsonAsync(await http.GetAsync($"{Base}/providers/{provider}/names/toaster/versions", Ct)))
            .GetProperty("value").EnumerateArray().Select(v => v.GetString()));
        var fileIds = (await ApiAssert.JsonAsync(await http.GetAsync($"{version}/files", Ct))).GetProperty("value").EnumerateArray().Select(v => v.GetString()!).ToList();
        Assert.Equal(2, fileIds.Count);
        var file = await ApiAssert.JsonAsync(await http.GetAsync($"{version}/files/{fileIds[0]}", Ct));
        Assert.Equal("firmware.swu", file.GetProperty("fileName").GetString());
        Assert.Equal(Convert.ToBase64String(SHA256.HashData(firmware)), file.GetProperty("hashes").GetProperty("sha256").GetString());

        Assert.Equal(firmware, await http.GetByteArrayAsync($"{version}/files/{fileIds[0]}/content", Ct));
        using var resume = new HttpRequestMessage(HttpMethod.Get, $"{version}/files/{fileIds[0]}/content");
        resume.Headers.Range = new RangeHeaderValue(150_000, null);
        var partial = await http.SendAsync(resume, Ct);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(firmware[150_000..], await partial.Content.ReadAsByteArrayAsync(Ct));

        await ApiAssert.ErrorAsync(
            await http.PostAsync($"{Base}:upload", Upload(manifest, ("firmware.swu", firmware), ("install.sh", script)), Ct),
            HttpStatusCode.Conflict, "UpdateAlreadyExists", 409303);

        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync(version, Ct)).StatusCode);
        await ApiAssert.ErrorAsync(await http.GetAsync($"{version}/files/{fileIds[0]}/content", Ct), HttpStatusCode.NotFound, "UpdateNotFound", 404015);
    }

    [Fact]
    public async Task FilesThatAreNotWhatTheManifestSays_AreRefused_AndNothingIsStored()
    {
        using var http = fixture.Node.CreateHttpClient();
        var provider = NewProvider();
        var bytes = Encoding.UTF8.GetBytes("payload");
        var manifest = Manifest(provider, "2.0", ("a.bin", bytes));

        var tampered = await http.PostAsync($"{Base}:upload", Upload(manifest, ("a.bin", Encoding.UTF8.GetBytes("payloaX"))), Ct);
        Assert.Contains("is not the one importManifest.files describes", await tampered.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var missing = await http.PostAsync($"{Base}:upload", Upload(manifest), Ct);
        Assert.Contains("did not come with it", await missing.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var extra = await http.PostAsync($"{Base}:upload", Upload(manifest, ("a.bin", bytes), ("b.bin", bytes)), Ct);
        Assert.Contains("does not name it", await extra.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var malformed = await http.PostAsync($"{Base}:upload", Upload(manifest.Replace("\"2.0\"", "\"two\"", StringComparison.Ordinal), ("a.bin", bytes)), Ct);
        Assert.Contains("importManifest.updateId.version", await malformed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.All(new[] { tampered, missing, extra, malformed }, r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));

        var noManifest = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", "a.bin" } };
        var unnamed = await http.PostAsync($"{Base}:upload", noManifest, Ct);
        Assert.Contains("no part named importManifest", await unnamed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // Nothing refused is left behind in the staging area, and nothing was stored.
        var staging = Path.Combine(fixture.Node.DataDirectory, "updates", "devicefabric", "staging");
        Assert.Empty(Directory.Exists(staging) ? Directory.GetFiles(staging) : []);
        await ApiAssert.ErrorAsync(await http.GetAsync($"{Base}/providers/{provider}/names/toaster/versions/2.0", Ct), HttpStatusCode.NotFound, "UpdateNotFound", 404015);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/deviceUpdate/otherinstance/updates", Ct)).StatusCode);
    }

    [Fact]
    public async Task TheUpdateManifestDevicesGet_IsSignedWithThePublishedKey()
    {
        using var http = fixture.Node.CreateHttpClient();
        var provider = NewProvider();
        var bytes = Encoding.UTF8.GetBytes("signed payload");
        var manifest = Manifest(provider, "4.1", ("s.bin", bytes));
        await ApiAssert.JsonAsync(await http.PostAsync($"{Base}:upload", Upload(manifest, ("s.bin", bytes)), Ct), HttpStatusCode.Created);

        var delivery = await ApiAssert.JsonAsync(await http.GetAsync($"{Base}/providers/{provider}/names/toaster/versions/4.1/manifest", Ct));
        var updateManifest = delivery.GetProperty("updateManifest").GetString()!;
        using (var parsed = System.Text.Json.JsonDocument.Parse(updateManifest))
        {
            Assert.Equal("s.bin", parsed.RootElement.GetProperty("files").GetProperty("f0").GetProperty("fileName").GetString());
        }

        var jwk = await ApiAssert.JsonAsync(await http.GetAsync("/deviceUpdate/devicefabric/signingKey", Ct));
        using var rsa = RSA.Create(new RSAParameters
        {
            Modulus = Base64UrlDecode(jwk.GetProperty("n").GetString()!),
            Exponent = Base64UrlDecode(jwk.GetProperty("e").GetString()!),
        });
        var parts = delivery.GetProperty("updateManifestSignature").GetString()!.Split('.');
        Assert.Equal(3, parts.Length);
        Assert.True(rsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64UrlDecode(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        using var payload = System.Text.Json.JsonDocument.Parse(Base64UrlDecode(parts[1]));
        Assert.Equal(Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(updateManifest))), payload.RootElement.GetProperty("sha256").GetString());
        using var header = System.Text.Json.JsonDocument.Parse(Base64UrlDecode(parts[0]));
        Assert.Equal(jwk.GetProperty("kid").GetString(), header.RootElement.GetProperty("kid").GetString());

        // A signature over another manifest does not verify.
        Assert.False(rsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + ".e30"), Base64UrlDecode(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    private static byte[] Base64UrlDecode(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }

    [Fact]
    public async Task Uploading_NeedsRegistryWrite()
    {
        fixture.Node.Logs.Expect("Refused a service token");
        using var reader = fixture.Node.CreateHttpClient(await fixture.TokenForAsync("registryRead"));
        var bytes = Encoding.UTF8.GetBytes("x");
        var refused = await reader.PostAsync($"{Base}:upload", Upload(Manifest(NewProvider(), "1.0", ("x.bin", bytes)), ("x.bin", bytes)), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync(Base, Ct)).StatusCode);
    }
}
