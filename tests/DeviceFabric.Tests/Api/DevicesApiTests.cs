using System.Net;
using System.Text;

namespace DeviceFabric.Tests.Api;

/// <summary>The registry REST API over real HTTPS: IoT Hub's shapes, etags and errors, and bad requests that change nothing.</summary>
public sealed class DevicesApiTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private const string Api = "?api-version=2021-04-12";
    private readonly HttpClient _http = fixture.Node.CreateHttpClient();

    private static string NewId() => "api-" + Guid.NewGuid().ToString("N");

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Put_CreatesDeviceInIotHubShape_AndGetReturnsIt()
    {
        var id = NewId();
        var created = await ApiAssert.JsonAsync(await _http.PutAsync($"/devices/{id}{Api}", Json($$"""{"deviceId":"{{id}}","status":"enabled"}""")));

        Assert.Equal(id, created.GetProperty("deviceId").GetString());
        Assert.Equal("enabled", created.GetProperty("status").GetString());
        Assert.Equal("Disconnected", created.GetProperty("connectionState").GetString());
        Assert.Equal("sas", created.GetProperty("authentication").GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(created.GetProperty("authentication").GetProperty("symmetricKey").GetProperty("primaryKey").GetString()));
        Assert.False(created.GetProperty("capabilities").GetProperty("iotEdge").GetBoolean());
        Assert.Equal(0, created.GetProperty("cloudToDeviceMessageCount").GetInt32());
        Assert.Matches("^[0-9]{18}$", created.GetProperty("generationId").GetString()!);

        var fetched = await ApiAssert.JsonAsync(await _http.GetAsync($"/devices/{id}{Api}"));
        Assert.Equal(created.GetRawText(), fetched.GetRawText());
    }

    [Fact]
    public async Task Put_ExistingWithoutIfMatch_Is409AndKeepsTheDevice()
    {
        var id = NewId();
        var created = await ApiAssert.JsonAsync(await _http.PutAsync($"/devices/{id}", Json("{}")));
        await ApiAssert.ErrorAsync(await _http.PutAsync($"/devices/{id}", Json("""{"status":"disabled"}""")), HttpStatusCode.Conflict, "DeviceAlreadyExists", 409001);
        Assert.Equal(created.GetRawText(), (await ApiAssert.JsonAsync(await _http.GetAsync($"/devices/{id}"))).GetRawText());
    }

    [Fact]
    public async Task Put_WithIfMatch_UpdatesOnlyWhenTheEtagIsCurrentOrStar()
    {
        var id = NewId();
        var created = await ApiAssert.JsonAsync(await _http.PutAsync($"/devices/{id}", Json("{}")));
        var etag = created.GetProperty("etag").GetString();

        using var stale = new HttpRequestMessage(HttpMethod.Put, $"/devices/{id}") { Content = Json("""{"status":"disabled"}""") };
        stale.Headers.TryAddWithoutValidation("If-Match", "\"AAAAAAAAAAA=\"");
        await ApiAssert.ErrorAsync(await _http.SendAsync(stale), HttpStatusCode.PreconditionFailed, "PreconditionFailed", 412002);

        using var current = new HttpRequestMessage(HttpMethod.Put, $"/devices/{id}") { Content = Json("""{"status":"disabled","statusReason":"repair"}""") };
        current.Headers.TryAddWithoutValidation("If-Match", $"\"{etag}\"");
        var updated = await ApiAssert.JsonAsync(await _http.SendAsync(current));
        Assert.Equal("disabled", updated.GetProperty("status").GetString());
        Assert.NotEqual(etag, updated.GetProperty("etag").GetString());

        using var star = new HttpRequestMessage(HttpMethod.Put, $"/devices/{id}") { Content = Json("""{"status":"enabled"}""") };
        star.Headers.TryAddWithoutValidation("If-Match", "\"*\"");
        Assert.Equal("enabled", (await ApiAssert.JsonAsync(await _http.SendAsync(star))).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Delete_RemovesTheDevice_AndAMissingDeviceIs404()
    {
        var id = NewId();
        await ApiAssert.JsonAsync(await _http.PutAsync($"/devices/{id}", Json("{}")));
        using var delete = new HttpRequestMessage(HttpMethod.Delete, $"/devices/{id}");
        delete.Headers.TryAddWithoutValidation("If-Match", "\"*\"");
        Assert.Equal(HttpStatusCode.NoContent, (await _http.SendAsync(delete)).StatusCode);

        await ApiAssert.ErrorAsync(await _http.GetAsync($"/devices/{id}"), HttpStatusCode.NotFound, "DeviceNotFound", 404001);
        await ApiAssert.ErrorAsync(await _http.DeleteAsync($"/devices/{id}"), HttpStatusCode.NotFound, "DeviceNotFound", 404001);
    }

    [Theory]
    [InlineData("has%20space")]
    [InlineData("semi;colon")]
    [InlineData("%C3%BCnicode")]
    public async Task InvalidDeviceId_Is400AndCreatesNothing(string id)
    {
        await ApiAssert.ErrorAsync(await _http.PutAsync($"/devices/{id}", Json("{}")), HttpStatusCode.BadRequest, "ArgumentInvalid", 400005);
        await ApiAssert.ErrorAsync(await _http.GetAsync($"/devices/{id}"), HttpStatusCode.BadRequest, "ArgumentInvalid", 400005);
    }

    [Fact]
    public async Task TooLongDeviceId_Is400()
    {
        await ApiAssert.ErrorAsync(await _http.PutAsync($"/devices/{new string('a', 129)}", Json("{}")), HttpStatusCode.BadRequest, "ArgumentInvalid", 400005);
    }

    [Theory]
    [InlineData("{bad json")]
    [InlineData("""{"status":"sleeping"}""")]
    [InlineData("""{"authentication":{"type":"sas","symmetricKey":{"primaryKey":"not base64"}}}""")]
    [InlineData("""{"statusReason":12}""")]
    [InlineData("null")]
    [InlineData("""{"status":"enabled","Status":"disabled"}""")]
    public async Task BadBody_Is400AndCreatesNothing(string body)
    {
        var id = NewId();
        var response = await _http.PutAsync($"/devices/{id}", Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("ArgumentInvalid", Assert.Single(response.Headers.GetValues("iothub-errorcode")));
        await ApiAssert.ErrorAsync(await _http.GetAsync($"/devices/{id}"), HttpStatusCode.NotFound, "DeviceNotFound", 404001);
    }

    [Fact]
    public async Task OversizedOrOverDeepBody_Is400AndCreatesNothing()
    {
        var id = NewId();
        var huge = $$"""{"statusReason":"{{new string('x', 70_000)}}"}""";
        await ApiAssert.ErrorAsync(await _http.PutAsync($"/devices/{id}", Json(huge)), HttpStatusCode.BadRequest, "ArgumentInvalid", 400006);

        var deep = "{\"capabilities\":" + string.Concat(Enumerable.Repeat("{\"a\":", 40)) + "1" + new string('}', 41);
        await ApiAssert.ErrorAsync(await _http.PutAsync($"/devices/{id}", Json(deep)), HttpStatusCode.BadRequest, "ArgumentInvalid", 400006);
        await ApiAssert.ErrorAsync(await _http.GetAsync($"/devices/{id}"), HttpStatusCode.NotFound, "DeviceNotFound", 404001);
    }

    [Fact]
    public async Task List_PagesWithContinuation_AndStatisticsCount()
    {
        var prefix = "list-" + Guid.NewGuid().ToString("N")[..6] + "-";
        for (var i = 0; i < 3; i++)
        {
            await ApiAssert.JsonAsync(await _http.PutAsync($"/devices/{prefix}{i}", Json(i == 0 ? """{"status":"disabled"}""" : "{}")));
        }

        var seen = new List<string>();
        string? token = null;
        do
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/devices?top=2&api-version=2021-04-12");
            if (token is not null)
            {
                request.Headers.Add("x-ms-continuation", token);
            }

            var response = await _http.SendAsync(request);
            var page = await ApiAssert.JsonAsync(response);
            Assert.InRange(page.GetArrayLength(), 0, 2);
            seen.AddRange(page.EnumerateArray().Select(d => d.GetProperty("deviceId").GetString()!));
            token = response.Headers.TryGetValues("x-ms-continuation", out var values) ? values.Single() : null;
        }
        while (token is not null);

        Assert.Equal(seen.Order(StringComparer.Ordinal), seen);
        Assert.Equal([prefix + "0", prefix + "1", prefix + "2"], seen.Where(s => s.StartsWith(prefix, StringComparison.Ordinal)));

        var stats = await ApiAssert.JsonAsync(await _http.GetAsync("/statistics/devices"));
        Assert.Equal(seen.Count, stats.GetProperty("totalDeviceCount").GetInt64());
        Assert.True(stats.GetProperty("disabledDeviceCount").GetInt64() >= 1);
        Assert.Equal(
            stats.GetProperty("totalDeviceCount").GetInt64(),
            stats.GetProperty("enabledDeviceCount").GetInt64() + stats.GetProperty("disabledDeviceCount").GetInt64());
    }

    [Fact]
    public async Task List_TopOutOfRange_Is400()
    {
        await ApiAssert.ErrorAsync(await _http.GetAsync("/devices?top=1001"), HttpStatusCode.BadRequest, "ArgumentInvalid", 400004);
    }
}
