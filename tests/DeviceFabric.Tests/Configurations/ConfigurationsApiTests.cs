using System.Net;
using System.Text;
using DeviceFabric.Tests.Api;

namespace DeviceFabric.Tests.Configurations;

/// <summary>The configurations REST API as the C# service SDK and a registry-read caller use it, and its refusals.</summary>
public sealed class ConfigurationsApiTests(ConfigurationNodeFixture fixture) : IClassFixture<ConfigurationNodeFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static string NewId() => "api-" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task TheCSharpSdksBody_WithItsReadOnlyAndEmptyFields_IsAccepted_AndListedUnderItsTrailingSlash()
    {
        using var http = fixture.Node.CreateHttpClient();
        var id = NewId();
        // What Microsoft.Azure.Devices sends: every content map, contentType, a default creation time and empty metrics.
        var body = $$$"""
            {"id":"{{{id}}}","schemaVersion":"1.0","labels":{},"content":{"deviceContent":{"properties.desired.x":1},"moduleContent":{},"modulesContent":{}},
             "contentType":"assignment","targetCondition":"tags.api = 'x'","createdTimeUtc":"0001-01-01T00:00:00","lastUpdatedTimeUtc":"0001-01-01T00:00:00",
             "priority":2,"systemMetrics":{"results":{},"queries":{}},"metrics":{"results":{},"queries":{}},"etag":null}
            """;
        var created = await ApiAssert.JsonAsync(await http.PutAsync($"/configurations/{id}?api-version=2021-04-12", Json(body), Ct));
        Assert.Equal(2, created.GetProperty("priority").GetInt32());
        Assert.NotEqual(1, created.GetProperty("createdTimeUtc").GetDateTime().Year);

        var listed = await ApiAssert.JsonAsync(await http.GetAsync("/configurations/?top=100&api-version=2021-04-12", Ct));
        Assert.Contains(listed.EnumerateArray(), c => c.GetProperty("id").GetString() == id);
        var again = await http.PutAsync($"/configurations/{id}", Json(body), Ct);
        await ApiAssert.ErrorAsync(again, HttpStatusCode.Conflict, "ConfigurationAlreadyExists", 409302);
    }

    [Fact]
    public async Task Writes_NeedRegistryWrite_AndUnknownIdsAre404()
    {
        using var reader = fixture.Node.CreateHttpClient(await TokenAsync("registryRead"));
        var refused = await reader.PutAsync($"/configurations/{NewId()}", Json("""{"content":{"deviceContent":{"properties.desired.x":1}},"targetCondition":"*"}"""), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        fixture.Node.Logs.Expect("Refused a service token");

        await ApiAssert.ErrorAsync(await reader.GetAsync($"/configurations/{NewId()}", Ct), HttpStatusCode.NotFound, "ConfigurationNotFound", 404014);
    }

    [Theory]
    [InlineData("""{"content":{"deviceContent":{"properties.reported.x":1}},"targetCondition":"*"}""", "properties.reported.x")]
    [InlineData("""{"content":{"deviceContent":{"properties.desired":5}},"targetCondition":"*"}""", "must be an object")]
    [InlineData("""{"content":{},"targetCondition":"*"}""", "exactly one of")]
    [InlineData("""{"content":{"deviceContent":{"properties.desired.x":1},"moduleContent":{"properties.desired.y":1}},"targetCondition":"*"}""", "exactly one of")]
    [InlineData("""{"content":{"deviceContent":{"properties.desired.a.b.c.d.e.f.g.h.i.j.k":1}},"targetCondition":"*"}""", "deeper")]
    [InlineData("""{"content":{"deviceContent":{"properties.desired.x":1}}}""", "targetCondition is required")]
    [InlineData("""{"labels":{"$reserved":"x"},"content":{"deviceContent":{"properties.desired.x":1}},"targetCondition":"*"}""", "labels")]
    [InlineData("""{"content":{"modulesContent":{"$edgeAgent":{"properties.desired":{"schemaVersion":"1.1"}}}},"targetCondition":"*"}""", "$edgeHub")]
    public async Task MalformedConfigurations_Are400NamingTheField_AndNothingIsStored(string body, string named)
    {
        using var http = fixture.Node.CreateHttpClient();
        var id = NewId();
        var response = await http.PutAsync($"/configurations/{id}", Json(body), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Contains(named, text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/configurations/{id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task ContentThatTogetherOverflowsATwin_IsRefused_NamingIt()
    {
        using var http = fixture.Node.CreateHttpClient();
        var big = new string('x', 3000);
        var paths = string.Join(",", Enumerable.Range(0, 12).Select(i => $"\"properties.desired.p{i}\":\"{big}\""));
        var response = await http.PutAsync($"/configurations/{NewId()}", Json($$$"""{"content":{"deviceContent":{{{{paths}}}}},"targetCondition":"*"}"""), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Contains("32768", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyConfigurationContent_NeedsAnEdgeDeviceAndAManifest()
    {
        using var http = fixture.Node.CreateHttpClient();
        var plain = NewId();
        await ApiAssert.JsonAsync(await http.PutAsync($"/devices/{plain}", Json("{}"), Ct));
        var manifest = """{"modulesContent":{"$edgeAgent":{"properties.desired.modules.m":{"type":"docker","settings":{"image":"a/b:1"}}}}}""";
        var notEdge = await http.PostAsync($"/devices/{plain}/applyConfigurationContent", Json(manifest), Ct);
        Assert.Contains("not an IoT Edge device", await notEdge.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, notEdge.StatusCode);

        var edge = NewId();
        await ApiAssert.JsonAsync(await http.PutAsync($"/devices/{edge}", Json("""{"capabilities":{"iotEdge":true}}"""), Ct));
        var empty = await http.PostAsync($"/devices/{edge}/applyConfigurationContent", Json("""{"deviceContent":{"properties.desired.x":1}}"""), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsync($"/devices/{edge}/applyConfigurationContent", Json(manifest), Ct)).StatusCode);
        var agent = await ApiAssert.JsonAsync(await http.GetAsync($"/twins/{edge}/modules/%24edgeAgent", Ct));
        Assert.Equal("a/b:1", agent.GetProperty("properties").GetProperty("desired").GetProperty("modules").GetProperty("m").GetProperty("settings").GetProperty("image").GetString());
    }

    private Task<string> TokenAsync(string policy) => fixture.TokenForAsync(policy);
}
