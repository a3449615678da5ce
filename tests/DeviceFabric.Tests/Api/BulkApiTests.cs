using System.Net;
using System.Text;

namespace DeviceFabric.Tests.Api;

/// <summary><c>POST /devices</c>: per-device outcomes in IoT Hub's shape; a malformed batch is refused whole.</summary>
public sealed class BulkApiTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private readonly HttpClient _http = fixture.Node.CreateHttpClient();

    private static string NewId() => "bulk-" + Guid.NewGuid().ToString("N");

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task MixedCaseModes_ApplyPerDevice_AndReportEachFailure()
    {
        string a = NewId(), b = NewId(), existing = NewId();
        await ApiAssert.JsonAsync(await _http.PutAsync($"/devices/{existing}", Json("{}")));

        var result = await ApiAssert.JsonAsync(await _http.PostAsync("/devices?api-version=2021-04-12", Json($$"""
            [
              {"id":"{{a}}","importMode":"create","status":"enabled"},
              {"id":"{{b}}","importMode":"createOrUpdate","status":"disabled"},
              {"id":"{{existing}}","importMode":"Create"},
              {"id":"{{NewId()}}","importMode":"Update"}
            ]
            """)));

        Assert.False(result.GetProperty("isSuccessful").GetBoolean());
        var errors = result.GetProperty("errors").EnumerateArray()
            .ToDictionary(e => e.GetProperty("deviceId").GetString()!, e => e.GetProperty("errorCode").GetString());
        Assert.Equal(2, errors.Count);
        Assert.Equal("DeviceAlreadyExists", errors[existing]);
        Assert.Contains("DeviceNotFound", errors.Values);
        Assert.Equal("disabled", (await ApiAssert.JsonAsync(await _http.GetAsync($"/devices/{b}"))).GetProperty("status").GetString());

        var etag = (await ApiAssert.JsonAsync(await _http.GetAsync($"/devices/{a}"))).GetProperty("etag").GetString();
        var deleted = await ApiAssert.JsonAsync(await _http.PostAsync("/devices", Json($$"""
            [{"id":"{{a}}","importMode":"DeleteIfMatchETag","eTag":"{{etag}}"},{"id":"{{b}}","importMode":"Delete"}]
            """)));
        Assert.True(deleted.GetProperty("isSuccessful").GetBoolean());
        Assert.Empty(deleted.GetProperty("errors").EnumerateArray());
        await ApiAssert.ErrorAsync(await _http.GetAsync($"/devices/{a}"), HttpStatusCode.NotFound, "DeviceNotFound", 404001);
    }

    [Fact]
    public async Task UpdateIfMatchETag_WithStaleEtag_FailsThatDeviceOnly()
    {
        var id = NewId();
        await ApiAssert.JsonAsync(await _http.PutAsync($"/devices/{id}", Json("{}")));
        var result = await ApiAssert.JsonAsync(await _http.PostAsync("/devices", Json($$"""
            [{"id":"{{id}}","importMode":"updateIfMatchETag","eTag":"AAAAAAAAAAA=","status":"disabled"}]
            """)));
        Assert.Equal("PreconditionFailed", result.GetProperty("errors")[0].GetProperty("errorCode").GetString());
        Assert.Equal("enabled", (await ApiAssert.JsonAsync(await _http.GetAsync($"/devices/{id}"))).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""[{"id":"x1","importMode":"explode"}]""")]
    [InlineData("""[{"id":"bad id","importMode":"create"}]""")]
    [InlineData("""[{"id":"dup","importMode":"create"},{"id":"dup","importMode":"delete"}]""")]
    [InlineData("""{"id":"x1"}""")]
    public async Task MalformedBatch_Is400AndAppliesNothing(string body)
    {
        var id = NewId();
        var payload = body.Replace("x1", id, StringComparison.Ordinal);
        await ApiAssert.ErrorAsync(await _http.PostAsync("/devices", Json(payload)), HttpStatusCode.BadRequest, "ArgumentInvalid", ExpectedCode(body));
        await ApiAssert.ErrorAsync(await _http.GetAsync($"/devices/{id}"), HttpStatusCode.NotFound, "DeviceNotFound", 404001);
    }

    [Fact]
    public async Task MoreThan100Devices_Is400AndAppliesNothing()
    {
        var ids = Enumerable.Range(0, 101).Select(_ => NewId()).ToList();
        var body = "[" + string.Join(',', ids.Select(i => $$"""{"id":"{{i}}","importMode":"create"}""")) + "]";
        await ApiAssert.ErrorAsync(await _http.PostAsync("/devices", Json(body)), HttpStatusCode.BadRequest, "ArgumentInvalid", 400004);
        await ApiAssert.ErrorAsync(await _http.GetAsync($"/devices/{ids[0]}"), HttpStatusCode.NotFound, "DeviceNotFound", 404001);
    }

    private static int ExpectedCode(string body) => body switch
    {
        _ when body.Contains("bad id", StringComparison.Ordinal) => 400005,
        _ when body.StartsWith('{') => 400006,
        _ => 400004,
    };
}
