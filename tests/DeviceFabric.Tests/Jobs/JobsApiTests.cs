using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DeviceFabric.Tests.Api;

namespace DeviceFabric.Tests.Jobs;

/// <summary>The query and jobs v2 REST API over real HTTPS: IoT Hub's shapes, paging headers and error bodies.</summary>
public sealed class JobsApiTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private readonly HttpClient _http = fixture.Node.CreateHttpClient();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> CreateFleetAsync(int count)
    {
        var run = "api" + Guid.NewGuid().ToString("N")[..10];
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            var id = $"{run}-{i:D2}";
            await fixture.Node.Client.Devices.CreateAsync(id, cancellationToken: Ct);
            await fixture.Node.Client.Twins.UpdateAsync(id, new JsonObject { ["tags"] = new JsonObject { ["run"] = run, ["n"] = i } }, cancellationToken: Ct);
        }));
        return run;
    }

    private Task<HttpResponseMessage> PostQueryAsync(string query, int? pageSize = null, string? continuation = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/devices/query?api-version=2021-04-12")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query }), Encoding.UTF8, "application/json"),
        };
        if (pageSize is { } size)
        {
            request.Headers.Add("x-ms-max-item-count", size.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (continuation is not null)
        {
            request.Headers.Add("x-ms-continuation", continuation);
        }

        return _http.SendAsync(request, Ct);
    }

    private Task<HttpResponseMessage> PutJobAsync(string jobId, string body) =>
        _http.PutAsync($"/jobs/v2/{jobId}?api-version=2021-04-12", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

    [Fact]
    public async Task Query_PagesWithContinuationHeaders_LeftOutOnTheLastPage()
    {
        var run = await CreateFleetAsync(5);

        var first = await PostQueryAsync($"SELECT * FROM devices WHERE tags.run = '{run}'", pageSize: 3);
        var firstItems = await ApiAssert.JsonAsync(first);
        Assert.Equal("Twin", Assert.Single(first.Headers.GetValues("x-ms-item-type")));
        var token = Assert.Single(first.Headers.GetValues("x-ms-continuation"));
        Assert.Equal(3, firstItems.GetArrayLength());

        var second = await PostQueryAsync($"SELECT * FROM devices WHERE tags.run = '{run}'", pageSize: 3, continuation: token);
        var secondItems = await ApiAssert.JsonAsync(second);
        Assert.False(second.Headers.Contains("x-ms-continuation"));
        Assert.Equal([$"{run}-03", $"{run}-04"], secondItems.EnumerateArray().Select(t => t.GetProperty("deviceId").GetString()));

        var count = await PostQueryAsync($"SELECT COUNT() AS numberOfDevices FROM devices WHERE tags.run = '{run}' AND tags.n >= 2");
        Assert.Equal("Raw", Assert.Single(count.Headers.GetValues("x-ms-item-type")));
        Assert.Equal(3, (await ApiAssert.JsonAsync(count))[0].GetProperty("numberOfDevices").GetInt32());
    }

    [Fact]
    public async Task MalformedQuery_Is400_WithThePosition()
    {
        var response = await PostQueryAsync("SELECT * FROM devices WHERE tags.x == 1");
        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "ArgumentInvalid", 400004);
        Assert.Contains("position", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var notJson = await _http.PostAsync("/devices/query", new StringContent("{query", Encoding.UTF8, "application/json"), Ct);
        await ApiAssert.ErrorAsync(notJson, HttpStatusCode.BadRequest, "ArgumentInvalid", 400006);
    }

    [Fact]
    public async Task ScheduleGetCancelAndQuery_SpeakIotHubsJobJson()
    {
        var run = await CreateFleetAsync(2);
        var start = DateTimeOffset.UtcNow.AddHours(2).ToString("o");
        var body = new JsonObject
        {
            ["jobId"] = run,
            ["type"] = "scheduleDeviceMethod",
            ["queryCondition"] = $"tags.run = '{run}'",
            ["startTime"] = start,
            ["maxExecutionTimeInSeconds"] = 600,
            ["cloudToDeviceMethod"] = new JsonObject { ["methodName"] = "reboot", ["payload"] = new JsonObject { ["in"] = 5 }, ["responseTimeoutInSeconds"] = 30 },
        };
        var put = await PutJobAsync(run, body.ToJsonString());
        var job = await ApiAssert.JsonAsync(put);
        Assert.Equal("scheduled", job.GetProperty("status").GetString());
        Assert.Equal("scheduleDeviceMethod", job.GetProperty("type").GetString());
        Assert.Equal(600, job.GetProperty("maxExecutionTimeInSeconds").GetInt32());
        Assert.Equal("reboot", job.GetProperty("cloudToDeviceMethod").GetProperty("methodName").GetString());
        Assert.Equal(5, job.GetProperty("cloudToDeviceMethod").GetProperty("payload").GetProperty("in").GetInt32());
        Assert.Equal(0, job.GetProperty("deviceJobStatistics").GetProperty("deviceCount").GetInt32());

        var got = await ApiAssert.JsonAsync(await _http.GetAsync($"/jobs/v2/{run}?api-version=2021-04-12", Ct));
        Assert.Equal(run, got.GetProperty("jobId").GetString());

        var cancelled = await ApiAssert.JsonAsync(await _http.PostAsync($"/jobs/v2/{run}/cancel?api-version=2021-04-12", null, Ct));
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());

        var listed = await _http.GetAsync("/jobs/v2/query?api-version=2021-04-12&jobType=scheduleDeviceMethod&jobStatus=cancelled", Ct);
        Assert.Equal("JobResponse", Assert.Single(listed.Headers.GetValues("x-ms-item-type")));
        Assert.Contains((await ApiAssert.JsonAsync(listed)).EnumerateArray(), j => j.GetProperty("jobId").GetString() == run);
    }

    [Fact]
    public async Task BadJobs_GetIotHubsErrors_AndNothingIsCreated()
    {
        var id = "badjob-" + Guid.NewGuid().ToString("N")[..8];
        await ApiAssert.ErrorAsync(await PutJobAsync(id, """{"type":"exportDevices","queryCondition":"*"}"""), HttpStatusCode.BadRequest, "ArgumentInvalid", 400004);
        await ApiAssert.ErrorAsync(await PutJobAsync(id, """{"type":"scheduleUpdateTwin","queryCondition":"tags.x = = 1","updateTwin":{"tags":{"a":1}}}"""), HttpStatusCode.BadRequest, "ArgumentInvalid", 400004);
        await ApiAssert.ErrorAsync(await PutJobAsync(id, """{"type":"scheduleUpdateTwin","queryCondition":"*","updateTwin":{"tags":{"a":1}},"startTime":"2020-01-01T00:00:00Z"}"""), HttpStatusCode.BadRequest, "ArgumentInvalid", 400004);
        await ApiAssert.ErrorAsync(await PutJobAsync(id, """{"type":"scheduleDeviceMethod","queryCondition":"*","cloudToDeviceMethod":{"methodName":"bad name"}}"""), HttpStatusCode.BadRequest, "ArgumentInvalid", 400004);
        await ApiAssert.ErrorAsync(await PutJobAsync(id, "{\"type\":"), HttpStatusCode.BadRequest, "ArgumentInvalid", 400006);
        await ApiAssert.ErrorAsync(await _http.GetAsync($"/jobs/v2/{id}", Ct), HttpStatusCode.NotFound, "JobNotFound", 404002);

        var ok = """{"type":"scheduleUpdateTwin","queryCondition":"tags.none = 1","updateTwin":{"tags":{"a":1}}}""";
        await ApiAssert.JsonAsync(await PutJobAsync(id, ok));
        await ApiAssert.ErrorAsync(await PutJobAsync(id, ok), HttpStatusCode.Conflict, "JobAlreadyExists", 409000);
    }

    [Fact]
    public async Task Jobs_NeedServiceConnect()
    {
        using var reader = fixture.Node.CreateHttpClient(await fixture.TokenForAsync("registryRead"));
        var response = await reader.PutAsync("/jobs/v2/nope", new StringContent("""{"type":"scheduleUpdateTwin","queryCondition":"*","updateTwin":{"tags":{"a":1}}}""", Encoding.UTF8, "application/json"), Ct);
        await ApiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "IotHubUnauthorizedAccess", 401002);
    }
}
