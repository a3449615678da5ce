using System.Net;
using System.Text;
using System.Text.Json;
using DeviceFabric.Tests.Infrastructure;
using DeviceFabric.Tests.Provisioning;
using MQTTnet;

namespace DeviceFabric.Tests.Transfers;

/// <summary>Import and export in IoT Hub's bulk format, from and to files in the node's transfer directory.</summary>
public sealed class ImportExportTests(ProvisioningFixture fixture) : IClassFixture<ProvisioningFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Import_OfAFileInIoTHubsExportFormat_ImportsEveryGoodLine_AndReportsEachBadOneWithItsLine()
    {
        var first = ProvisioningFixture.NewId("imported");
        var second = ProvisioningFixture.NewId("imported");
        var key = Convert.ToBase64String(Encoding.UTF8.GetBytes("an imported device key, 32 bytes"));
        var folder = TransferApi.Folder(fixture, ProvisioningFixture.NewId("in"));
        string[] lines =
        [
            // As Azure IoT Hub's export writes a device: etags, metadata and versions included.
            $$$"""{"id":"{{{first}}}","eTag":"MA==","status":"enabled","statusReason":null,"authentication":{"symmetricKey":{"primaryKey":"{{{key}}}","secondaryKey":"{{{key}}}"},"x509Thumbprint":{"primaryThumbprint":null,"secondaryThumbprint":null},"type":"sas"},"twinETag":"AAAAAAAAAAI=","tags":{"site":"lyon"},"properties":{"desired":{"interval":30,"$metadata":{"$lastUpdated":"2024-03-09T18:30:51.1309437Z"},"$version":2},"reported":{"firmware":"1.2.0","$metadata":{"$lastUpdated":"2024-03-09T18:30:51.1309437Z"},"$version":1}},"capabilities":{"iotEdge":false},"deviceScope":null}""",
            $$"""{"id":"{{second}}-x","importMode":"frobnicate"}""",
            "this is not json",
            "",
            $$"""{"id":"{{first}}","importMode":"create"}""",
            $$$"""{"id":"{{{second}}}-long","tags":{"pad":"{{{new string('x', 70 * 1024)}}}"}}""",
            "{\"id\":\"" + second + "\",\"status\":\"disabled\",\"authentication\":{\"type\":\"sas\",\"symmetricKey\":{\"primaryKey\":\"" + key + "\",\"secondaryKey\":\"" + key + "\"}}}",
        ];
        await File.WriteAllLinesAsync(Path.Combine(folder, "devices.txt"), lines, Ct);

        using var http = fixture.Node.CreateHttpClient();
        var job = await TransferApi.RunAsync(fixture, http, "devicefabric", $$"""
            {"type":"import","inputBlobContainerUri":"file:///{{Path.GetFileName(folder)}}","outputBlobContainerUri":"{{Path.GetFileName(folder)}}"}
            """);
        Assert.Equal("completed", job.GetProperty("status").GetString());
        Assert.Equal(2, job.GetProperty("devicesSucceeded").GetInt64());
        Assert.Equal(4, job.GetProperty("devicesFailed").GetInt64());

        var errors = (await File.ReadAllLinesAsync(Path.Combine(folder, "importErrors.log"), Ct)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([2L, 3L, 5L, 6L], errors.Select(e => e.GetProperty("line").GetInt64()));
        Assert.Equal([400004, 400012, 409001, 400012], errors.Select(e => e.GetProperty("errorCode").GetInt32()));

        var twin = await Api.ApiAssert.JsonAsync(await http.GetAsync($"/twins/{first}", Ct));
        Assert.Equal("lyon", twin.GetProperty("tags").GetProperty("site").GetString());
        Assert.Equal(30, twin.GetProperty("properties").GetProperty("desired").GetProperty("interval").GetInt32());
        Assert.Equal("1.2.0", twin.GetProperty("properties").GetProperty("reported").GetProperty("firmware").GetString());
        var disabled = await Api.ApiAssert.JsonAsync(await http.GetAsync($"/devices/{second}", Ct));
        Assert.Equal("disabled", disabled.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/devices/{second}-long", Ct)).StatusCode);

        // The imported key is the device's own: it connects with it.
        var (client, result) = await MqttDevice.ConnectAsync(fixture.Node, first, MqttDevice.Token(first, key));
        using (client)
        {
            Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        }
    }

    [Fact]
    public async Task Export_WritesEveryDeviceWithItsKeysAndTwin_AndTheFileImportsIntoAnotherHub()
    {
        using var http = fixture.Node.CreateHttpClient();
        var fleet = ProvisioningFixture.NewId("fleet");
        var ids = Enumerable.Range(0, 3).Select(i => $"{fleet}-{i}").ToList();
        foreach (var id in ids)
        {
            Assert.Equal(HttpStatusCode.OK, (await http.PutAsync($"/devices/{id}", Json($$"""{"deviceId":"{{id}}"}"""), Ct)).StatusCode);
            using var patch = new HttpRequestMessage(HttpMethod.Patch, $"/twins/{id}") { Content = Json("{\"tags\":{\"fleet\":\"" + fleet + "\"},\"properties\":{\"desired\":{\"mode\":\"eco\"}}}") };
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(patch, Ct)).StatusCode);
        }

        var folder = Path.GetFileName(TransferApi.Folder(fixture, ProvisioningFixture.NewId("out")));
        var job = await TransferApi.RunAsync(fixture, http, "devicefabric", $$"""{"type":"export","outputBlobContainerUri":"{{folder}}","excludeKeysInExport":false}""");
        Assert.Equal("completed", job.GetProperty("status").GetString());
        var path = Path.Combine(fixture.Node.DataDirectory, "transfers", folder, "devices.txt");
        var exported = (await File.ReadAllLinesAsync(path, Ct)).Select(l => JsonDocument.Parse(l).RootElement).ToDictionary(e => e.GetProperty("id").GetString()!);
        Assert.Equal(exported.Count, job.GetProperty("devicesSucceeded").GetInt64());
        foreach (var id in ids)
        {
            var line = exported[id];
            var device = await Api.ApiAssert.JsonAsync(await http.GetAsync($"/devices/{id}", Ct));
            Assert.Equal(device.GetProperty("authentication").GetProperty("symmetricKey").GetProperty("primaryKey").GetString(),
                line.GetProperty("authentication").GetProperty("symmetricKey").GetProperty("primaryKey").GetString());
            Assert.Equal(fleet, line.GetProperty("tags").GetProperty("fleet").GetString());
            Assert.Equal("eco", line.GetProperty("properties").GetProperty("desired").GetProperty("mode").GetString());
            Assert.True(line.TryGetProperty("deviceScope", out _));
        }

        // The same file, imported into the other hub with that hub's credentials, gives it the same devices and keys.
        using var second = fixture.Node.CreateHttpClient(ServiceToken.FromConnectionString(TransferApi.SecondOwnerConnectionString(fixture)));
        var imported = await TransferApi.RunAsync(fixture, second, ProvisioningFixture.SecondHub, $$"""{"type":"import","inputBlobContainerUri":"{{folder}}","outputBlobContainerUri":"{{folder}}"}""");
        Assert.Equal(0, imported.GetProperty("devicesFailed").GetInt64());
        var moved = await Api.ApiAssert.JsonAsync(await second.GetAsync($"/devices/{ids[1]}", Ct));
        Assert.Equal(exported[ids[1]].GetProperty("authentication").GetProperty("symmetricKey").GetProperty("primaryKey").GetString(),
            moved.GetProperty("authentication").GetProperty("symmetricKey").GetProperty("primaryKey").GetString());

        // Without keys: the keys are left out of the file.
        var keyless = await TransferApi.RunAsync(fixture, http, "devicefabric", $$"""{"type":"export","outputBlobContainerUri":"{{folder}}","outputBlobName":"keyless.txt","excludeKeysInExport":true}""");
        Assert.Equal("completed", keyless.GetProperty("status").GetString());
        var keylessLine = (await File.ReadAllLinesAsync(Path.Combine(fixture.Node.DataDirectory, "transfers", folder, "keyless.txt"), Ct)).First(l => l.Contains(ids[0], StringComparison.Ordinal));
        Assert.DoesNotContain(exported[ids[0]].GetProperty("authentication").GetProperty("symmetricKey").GetProperty("primaryKey").GetString()!, keylessLine, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type":"import","inputBlobContainerUri":"file:///../../","outputBlobContainerUri":"x"}""", "BlobContainerValidationError")]
    [InlineData("""{"type":"import","inputBlobContainerUri":"https://account.blob.core.windows.net/c?sv=1","outputBlobContainerUri":"x"}""", "BlobContainerValidationError")]
    [InlineData("""{"type":"import","inputBlobContainerUri":"no-such-folder","outputBlobContainerUri":"x"}""", "BlobContainerValidationError")]
    [InlineData("""{"type":"export","outputBlobContainerUri":"x","outputBlobName":"../../owner-connection-string.txt"}""", "BlobContainerValidationError")]
    [InlineData("""{"type":"export","outputBlobContainerUri":"x","storageAuthenticationType":"identityBased"}""", "ArgumentInvalid")]
    [InlineData("""{"type":"backup","outputBlobContainerUri":"x"}""", "ArgumentInvalid")]
    public async Task Create_RefusesFoldersOutsideTheTransferDirectory_AndWhatItCannotDo(string body, string error)
    {
        using var http = fixture.Node.CreateHttpClient();
        using var response = await http.PostAsync("/jobs/create", Json(body), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(error, Assert.Single(response.Headers.GetValues("iothub-errorcode")));
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
