using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DeviceFabric.Client;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Twins;

/// <summary>The twin REST API and SDK: IoT Hub's document, merge and replace, limits refused whole, and concurrent writers.</summary>
public sealed class TwinsApiTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private readonly HttpClient _http = fixture.Node.CreateHttpClient();

    private TestNode Node => fixture.Node;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> NewDeviceAsync() =>
        (await Node.Client.Devices.CreateAsync("twinapi-" + Guid.NewGuid().ToString("N")[..12], cancellationToken: Ct)).DeviceId;

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string id, string body, string? ifMatch = "\"*\"")
    {
        using var request = new HttpRequestMessage(method, $"/twins/{id}?api-version=2021-04-12") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await _http.SendAsync(request, Ct);
    }

    [Fact]
    public async Task Get_ReturnsIotHubsTwinDocument()
    {
        var id = await NewDeviceAsync();
        var twin = await ApiAssert.JsonAsync(await _http.GetAsync($"/twins/{id}", Ct));
        Assert.Equal(id, twin.GetProperty("deviceId").GetString());
        Assert.Equal("enabled", twin.GetProperty("status").GetString());
        Assert.Equal("Disconnected", twin.GetProperty("connectionState").GetString());
        Assert.Equal("sas", twin.GetProperty("authenticationType").GetString());
        Assert.Equal(1, twin.GetProperty("version").GetInt64());
        Assert.False(string.IsNullOrEmpty(twin.GetProperty("etag").GetString()));
        Assert.Equal(1, twin.GetProperty("properties").GetProperty("desired").GetProperty("$version").GetInt64());
        Assert.Equal(1, twin.GetProperty("properties").GetProperty("reported").GetProperty("$version").GetInt64());
    }

    [Fact]
    public async Task Patch_MergesTagsAndDesired_PutReplacesThem()
    {
        var id = await NewDeviceAsync();
        await ApiAssert.JsonAsync(await SendAsync(HttpMethod.Patch, id, """{"tags":{"site":"a","floor":1},"properties":{"desired":{"mode":"eco","fan":{"speed":2}}}}"""));
        var merged = await ApiAssert.JsonAsync(await SendAsync(HttpMethod.Patch, id, """{"tags":{"floor":null},"properties":{"desired":{"fan":{"dir":"left"}}}}"""));
        Assert.Equal("""{"site":"a"}""", merged.GetProperty("tags").GetRawText());
        Assert.Equal("left", merged.GetProperty("properties").GetProperty("desired").GetProperty("fan").GetProperty("dir").GetString());
        Assert.Equal(2, merged.GetProperty("properties").GetProperty("desired").GetProperty("fan").GetProperty("speed").GetInt32());
        Assert.Equal(3, merged.GetProperty("properties").GetProperty("desired").GetProperty("$version").GetInt64());

        var replaced = await ApiAssert.JsonAsync(await SendAsync(HttpMethod.Put, id, """{"tags":{"owner":"ops"},"properties":{"desired":{"mode":"boost"}}}"""));
        Assert.Equal("""{"owner":"ops"}""", replaced.GetProperty("tags").GetRawText());
        var desired = replaced.GetProperty("properties").GetProperty("desired");
        Assert.Equal("boost", desired.GetProperty("mode").GetString());
        Assert.False(desired.TryGetProperty("fan", out _));
    }

    [Theory]
    [InlineData("""{"properties":{"reported":{"x":1}}}""", HttpStatusCode.BadRequest, 400004)]
    [InlineData("""{"tags":{"bad key":1}}""", HttpStatusCode.BadRequest, 400004)]
    [InlineData("""{"tags":"nope"}""", HttpStatusCode.BadRequest, 400004)]
    [InlineData("""{oops""", HttpStatusCode.BadRequest, 400006)]
    [InlineData("TAGS_TOO_BIG", HttpStatusCode.RequestEntityTooLarge, 413001)]
    public async Task BadPatch_IsRefusedWithIotHubsError_AndChangesNothing(string body, HttpStatusCode status, int code)
    {
        var id = await NewDeviceAsync();
        var before = await ApiAssert.JsonAsync(await SendAsync(HttpMethod.Patch, id, """{"tags":{"keep":1},"properties":{"desired":{"keep":1}}}"""));
        if (body == "TAGS_TOO_BIG")
        {
            body = $$$"""{"properties":{"desired":{"ok":2}},"tags":{"a":"{{{new string('a', 4000)}}}","b":"{{{new string('b', 4000)}}}","c":"{{{new string('c', 300)}}}"}}""";
        }

        var response = await SendAsync(HttpMethod.Patch, id, body);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, (await ApiAssert.JsonAsync(response, status)).GetProperty("errorCode").GetInt32());
        var after = await ApiAssert.JsonAsync(await _http.GetAsync($"/twins/{id}", Ct));
        Assert.Equal(before.GetProperty("etag").GetString(), after.GetProperty("etag").GetString());
        Assert.Equal(before.GetProperty("tags").GetRawText(), after.GetProperty("tags").GetRawText());
        Assert.Equal(before.GetProperty("properties").GetProperty("desired").GetProperty("$version").GetInt64(), after.GetProperty("properties").GetProperty("desired").GetProperty("$version").GetInt64());
    }

    [Fact]
    public async Task UnknownDevice_Is404_AndARecreatedDeviceGetsAFreshTwin()
    {
        await ApiAssert.ErrorAsync(await _http.GetAsync("/twins/nobody-here", Ct), HttpStatusCode.NotFound, "DeviceNotFound", 404001);
        var id = await NewDeviceAsync();
        await ApiAssert.JsonAsync(await SendAsync(HttpMethod.Patch, id, """{"tags":{"old":true}}"""));
        await Node.Client.Devices.DeleteAsync(id, cancellationToken: Ct);
        await ApiAssert.ErrorAsync(await SendAsync(HttpMethod.Patch, id, """{"tags":{"x":1}}"""), HttpStatusCode.NotFound, "DeviceNotFound", 404001);

        await Node.Client.Devices.CreateAsync(id, cancellationToken: Ct);
        var fresh = await ApiAssert.JsonAsync(await _http.GetAsync($"/twins/{id}", Ct));
        Assert.Equal("{}", fresh.GetProperty("tags").GetRawText());
    }

    [Fact]
    public async Task ConcurrentWriters_LoseNoUpdate_AndEtagsCatchEveryRace()
    {
        var id = await NewDeviceAsync();
        var device = await Node.Client.Devices.GetAsync(id, Ct);
        using var twin = await TwinDevice.ConnectAsync(Node, device, subscribeDesired: false);
        const int Writers = 4, PatchesEach = 10, ReportedPatches = 20;

        async Task WriterAsync(int writer)
        {
            for (var i = 0; i < PatchesEach; i++)
            {
                while (true)
                {
                    var current = await Node.Client.Twins.GetAsync(id, Ct);
                    var count = current["properties"]!["desired"]!["count"]?.GetValue<int>() ?? 0;
                    var desired = new JsonObject { ["count"] = count + 1, [$"w{writer}"] = i };
                    var patch = new JsonObject { ["properties"] = new JsonObject { ["desired"] = desired } };
                    try
                    {
                        await Node.Client.Twins.UpdateAsync(id, patch, current["etag"]!.GetValue<string>(), Ct);
                        break;
                    }
                    catch (DeviceFabricServiceException ex) when (ex.ErrorCode == DeviceFabricErrorCode.PreconditionFailed)
                    {
                        // Another writer got in first: read again and retry, as an etag-aware client must.
                    }
                }
            }
        }

        async Task DeviceAsync()
        {
            for (var i = 1; i <= ReportedPatches; i++)
            {
                var (status, _, _) = await twin.PatchReportedAsync($$"""{"n":{{i}}}""");
                Assert.Equal(204, status);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(WriterAsync).Append(DeviceAsync()));

        var final = await Node.Client.Twins.GetAsync(id, Ct);
        var desired = final["properties"]!["desired"]!;
        Assert.Equal(Writers * PatchesEach, desired["count"]!.GetValue<int>());
        Assert.Equal(1 + (Writers * PatchesEach), desired["$version"]!.GetValue<long>());
        Assert.All(Enumerable.Range(0, Writers), w => Assert.Equal(PatchesEach - 1, desired[$"w{w}"]!.GetValue<int>()));
        Assert.Equal(1 + ReportedPatches, final["properties"]!["reported"]!["$version"]!.GetValue<long>());
        Assert.Equal(ReportedPatches, final["properties"]!["reported"]!["n"]!.GetValue<int>());
        Assert.Equal(1 + (Writers * PatchesEach) + ReportedPatches, final["version"]!.GetValue<long>());
    }
}
