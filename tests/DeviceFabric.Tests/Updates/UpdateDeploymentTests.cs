using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;
using DeviceFabric.Updates;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Protocol;

namespace DeviceFabric.Tests.Updates;

/// <summary>
/// Deployments to devices without the ADU agent (the message path): each gets the deployment as a cloud-to-device
/// message, downloads the file at its signed URL (resuming with Range) and reports in its twin; a health check holds
/// success back until the device is healthy, and fails a device that never is. Also the refusals of the REST API.
/// </summary>
public sealed class UpdateDeploymentTests(UpdateNodeFixture fixture) : IClassFixture<UpdateNodeFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task DevicesOnTheMessagePath_GetTheDeployment_DownloadIt_AndTheHealthCheckDecidesTheirOutcome()
    {
        using var http = fixture.Node.CreateHttpClient();
        var provider = "p" + Guid.NewGuid().ToString("N")[..8];
        var group = "g-" + provider;
        var file = RandomNumberGenerator.GetBytes(300_000);
        await UpdateUploads.ImportAsync(http, provider, "2.0", file);
        await using var events = await UpdateTestDevices.EventLog.StartAsync(fixture.Node, group);

        var healthy = await SimpleDeviceAsync(http, group, provider + "-healthy");
        var unhealthy = await SimpleDeviceAsync(http, group, provider + "-unhealthy");
        var deployment = await ApiAssert.JsonAsync(await http.PutAsync($"{Path(group)}/deployments/d1", Json($$$"""
            {"update":{"updateId":{"provider":"{{{provider}}}","name":"Toaster","version":"2.0"}},
             "healthCheck":{"condition":"properties.reported.health = 'ok'","windowInSeconds":2}}
            """), Ct));
        var workflowId = deployment.GetProperty("workflowId").GetString()!;

        foreach (var (device, isHealthy) in new[] { (healthy, true), (unhealthy, false) })
        {
            var message = await device.Messages.WaitForAsync(m => m.Topic.Contains("deviceUpdate=service", StringComparison.Ordinal));
            var service = JsonNode.Parse(message.Body)!.AsObject();
            Assert.Equal(3, service["workflow"]!["action"]!.GetValue<int>());
            Assert.Equal(workflowId, service["workflow"]!["id"]!.GetValue<string>());
            var url = service["fileUrls"]!.AsObject().Single().Value!.GetValue<string>();
            Assert.Equal(file, await DownloadInTwoPartsAsync(url));
            var installed = JsonSerializer.Serialize(new { provider, name = "Toaster", version = "2.0" });
            var report = new JsonObject
            {
                ["deviceUpdate"] = new JsonObject
                {
                    ["__t"] = "c",
                    ["agent"] = new JsonObject
                    {
                        ["state"] = 0, ["workflow"] = new JsonObject { ["action"] = 3, ["id"] = workflowId }, ["installedUpdateId"] = installed,
                        ["lastInstallResult"] = new JsonObject
                        {
                            ["resultCode"] = 700, ["extendedResultCodes"] = "00000000",
                            ["stepResults"] = new JsonObject { ["step_0"] = new JsonObject { ["resultCode"] = 700, ["extendedResultCodes"] = "00000000" } },
                        },
                    },
                },
                ["health"] = isHealthy ? "ok" : "degraded",
            };
            Assert.Equal(204, (await device.Twin.PatchReportedAsync(report.ToJsonString())).Status);
        }

        var states = await Eventually.HoldsAsync(
            async () => await ApiAssert.JsonAsync(await http.GetAsync($"{Path(group)}/deployments/d1/devicestates", Ct)),
            s => s.GetProperty("value").EnumerateArray().All(d => d.GetProperty("deviceState").GetString() is "Succeeded" or "Failed"),
            "both devices decided");
        var byId = states.GetProperty("value").EnumerateArray().ToDictionary(d => d.GetProperty("deviceId").GetString()!);
        Assert.Equal("Succeeded", byId[healthy.Id].GetProperty("deviceState").GetString());
        Assert.Equal("Failed", byId[unhealthy.Id].GetProperty("deviceState").GetString());
        Assert.True(byId[unhealthy.Id].GetProperty("healthCheckFailed").GetBoolean());
        Assert.Equal(700, byId[healthy.Id].GetProperty("resultCode").GetInt32());
        Assert.Equal(700, byId[healthy.Id].GetProperty("stepResults").GetProperty("step_0").GetProperty("resultCode").GetInt32());

        var status = await ApiAssert.JsonAsync(await http.GetAsync($"{Path(group)}/deployments/d1/status", Ct));
        Assert.Equal("ActiveWithSubgroupFailures", status.GetProperty("deploymentState").GetString());
        var subgroup = status.GetProperty("subgroupStatus")[0];
        Assert.Equal(1, subgroup.GetProperty("devicesCompletedSucceededCount").GetInt64());
        Assert.Equal(1, subgroup.GetProperty("devicesCompletedFailedCount").GetInt64());
        await events.WaitForAsync(UpdateDeploymentEventKind.Created);
        await events.WaitForAsync(UpdateDeploymentEventKind.WaveReleased);
    }

    [Fact]
    public async Task ARetry_GivesAFailedDeviceANewRetryToken_AndItsSuccessCounts()
    {
        using var http = fixture.Node.CreateHttpClient();
        var provider = "p" + Guid.NewGuid().ToString("N")[..8];
        var group = "g-" + provider;
        await UpdateUploads.ImportAsync(http, provider, "3.0", RandomNumberGenerator.GetBytes(1000));
        var device = await SimpleDeviceAsync(http, group, provider + "-d");
        var deployment = await ApiAssert.JsonAsync(await http.PutAsync($"{Path(group)}/deployments/d1", Json(
            "{\"update\":{\"updateId\":{\"provider\":\"" + provider + "\",\"name\":\"Toaster\",\"version\":\"3.0\"}}}"), Ct));
        var workflowId = deployment.GetProperty("workflowId").GetString()!;
        var first = JsonNode.Parse((await device.Messages.WaitForAsync(m => m.Topic.Contains("deviceUpdate=service", StringComparison.Ordinal))).Body)!;
        Assert.Null(first["workflow"]!["retryTimestamp"]);
        await device.ReportAsync(workflowId, provider, "3.0", state: 255, resultCode: 0);
        await Eventually.HoldsAsync(
            async () => await ApiAssert.JsonAsync(await http.GetAsync($"{Path(group)}/deployments/d1/devicestates?filter=deviceState%20eq%20'Failed'", Ct)),
            s => s.GetProperty("value").GetArrayLength() == 1, "the device failed");

        var retried = await ApiAssert.JsonAsync(await http.PostAsync($"{Path(group)}/deployments/d1:retry", null, Ct));
        Assert.True(retried.GetProperty("isRetried").GetBoolean());
        var again = JsonNode.Parse((await device.Messages.WaitForAsync(m => m.Topic.Contains("deviceUpdate=service", StringComparison.Ordinal) && m.Body.Contains("retryTimestamp", StringComparison.Ordinal))).Body)!;
        Assert.Equal(workflowId, again["workflow"]!["id"]!.GetValue<string>());
        Assert.NotNull(again["updateManifest"]);
        await device.ReportAsync(workflowId, provider, "3.0", state: 0, resultCode: 700);
        var states = await Eventually.HoldsAsync(
            async () => await ApiAssert.JsonAsync(await http.GetAsync($"{Path(group)}/deployments/d1/devicestates", Ct)),
            s => s.GetProperty("value")[0].GetProperty("deviceState").GetString() == "Succeeded", "the retried device succeeded");
        Assert.Equal(1, states.GetProperty("value")[0].GetProperty("retryCount").GetInt32());
        var classes = await ApiAssert.JsonAsync(await http.GetAsync("/deviceUpdate/devicefabric/management/deviceClasses", Ct));
        Assert.Contains(classes.GetProperty("value").EnumerateArray(), c => c.GetProperty("deviceClassProperties").GetProperty("compatProperties").GetProperty("model").GetString() == "Toaster");
    }

    [Fact]
    public async Task ADeviceJoiningTheGroupLater_GetsTheActiveDeployment_ThroughTheGrainClientSdk()
    {
        using var http = fixture.Node.CreateHttpClient();
        var provider = "p" + Guid.NewGuid().ToString("N")[..8];
        var group = "g-" + provider;
        var update = new UpdateId(provider, "Toaster", "1.5");
        await UpdateUploads.ImportAsync(http, provider, "1.5", RandomNumberGenerator.GetBytes(2000));
        var early = await SimpleDeviceAsync(http, group, provider + "-early");
        var fabric = fixture.Node.Client;
        var deployment = await fabric.Updates.DeployAsync(new UpdateDeploymentSpec("d1", group, DateTimeOffset.UtcNow, update, null, null, null), Ct);
        Assert.Equal(UpdateDeploymentState.Active, deployment.State);
        await early.Messages.WaitForAsync(m => m.Topic.Contains("deviceUpdate=service", StringComparison.Ordinal));

        var late = await SimpleDeviceAsync(http, group, provider + "-late");
        var message = JsonNode.Parse((await late.Messages.WaitForAsync(m => m.Topic.Contains("deviceUpdate=service", StringComparison.Ordinal))).Body)!;
        Assert.Equal(deployment.WorkflowId, message["workflow"]!["id"]!.GetValue<string>());
        await late.ReportAsync(deployment.WorkflowId, provider, "1.5", state: 0, resultCode: 700);
        var status = await Eventually.HoldsAsync(
            () => fabric.Updates.GetStatusAsync(group, "d1", Ct),
            s => s.Subgroups.Sum(g => g.DevicesCompletedSucceededCount) == 1 && s.Subgroups.Sum(g => g.TotalDevices) == 2,
            "the late device counted");
        Assert.Equal("Active", status.DeploymentState);
        var groups = await fabric.Updates.ListGroupsAsync(Ct);
        Assert.Equal(2, groups.Single(g => g.GroupId == group).DeviceCount);
        Assert.Equal("d1", (await fabric.Updates.ListDeploymentsAsync(group, Ct)).Single().Spec.DeploymentId);
        await fabric.Updates.DeleteDeploymentAsync(group, "d1", Ct);
        await Eventually.HoldsAsync(
            async () => await ApiAssert.JsonAsync(await http.GetAsync($"/twins/{late.Id}", Ct)),
            t => !t.GetProperty("properties").GetProperty("desired").TryGetProperty("deviceUpdate", out _),
            "the deleted deployment left the twin");
    }

    [Fact]
    public async Task ADownloadUrl_ThatIsForged_OrForAnotherFile_IsRefused()
    {
        using var http = fixture.Node.CreateHttpClient();
        var provider = "p" + Guid.NewGuid().ToString("N")[..8];
        var group = "g-" + provider;
        await UpdateUploads.ImportAsync(http, provider, "1.0", RandomNumberGenerator.GetBytes(1000));
        var device = await SimpleDeviceAsync(http, group, provider + "-d");
        await http.PutAsync($"{Path(group)}/deployments/d1", Json("{\"update\":{\"updateId\":{\"provider\":\"" + provider + "\",\"name\":\"Toaster\",\"version\":\"1.0\"}}}"), Ct);
        var message = await device.Messages.WaitForAsync(m => m.Topic.Contains("deviceUpdate=service", StringComparison.Ordinal));
        var url = new Uri(JsonNode.Parse(message.Body)!["fileUrls"]!.AsObject().Single().Value!.GetValue<string>());
        using var anonymous = fixture.Node.CreateHttpClient(authorization: null);
        using var metrics = new MeterRecorder(fixture.Node.Services.GetRequiredService<UpdateInstruments>().Meter);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(url.PathAndQuery, Ct)).StatusCode);
        await Eventually.HoldsAsync(() => Task.FromResult(metrics.Total("devicefabric-update-download-bytes")), bytes => bytes >= 1000, "the download's bytes counted");

        var sig = System.Web.HttpUtility.ParseQueryString(url.Query)["sig"]!;
        var forged = url.PathAndQuery.Replace(sig, new string(sig.Reverse().ToArray()), StringComparison.Ordinal);
        await ApiAssert.ErrorAsync(await anonymous.GetAsync(forged, Ct), HttpStatusCode.Unauthorized, "IotHubUnauthorizedAccess", 401002);
        var otherFile = url.PathAndQuery.Replace(url.Segments[^1], new string('0', 64), StringComparison.Ordinal);
        await ApiAssert.ErrorAsync(await anonymous.GetAsync(otherFile, Ct), HttpStatusCode.Unauthorized, "IotHubUnauthorizedAccess", 401002);
    }

    [Theory]
    [InlineData("""{"update":{"updateId":{"provider":"x","name":"y"}}}""", "update.updateId")]
    [InlineData("""{"update":{"updateId":{"provider":"x","name":"y","version":"1.0"}},"rollout":{"waves":[{"deviceCount":1,"percentage":5}]}}""", "rollout.waves[0]")]
    [InlineData("""{"update":{"updateId":{"provider":"x","name":"y","version":"1.0"}},"rollout":{"waves":[{"percentage":60},{"percentage":60}]}}""", "rollout.waves")]
    [InlineData("""{"update":{"updateId":{"provider":"x","name":"y","version":"1.0"}},"rollbackPolicy":{"update":{"updateId":{"provider":"x","name":"y","version":"0.9"}},"failure":{"devicesFailedPercentage":0,"devicesFailedCount":1}}}""", "rollbackPolicy.failure.devicesFailedPercentage")]
    [InlineData("""{"update":{"updateId":{"provider":"x","name":"y","version":"1.0"}},"healthCheck":{"condition":"properties.reported.health ==","windowInSeconds":5}}""", "healthCheck.condition")]
    [InlineData("""{"deploymentId":"other","update":{"updateId":{"provider":"x","name":"y","version":"1.0"}}}""", "deploymentId")]
    public async Task AnInvalidDeployment_IsRefused_NamingTheField(string body, string field)
    {
        using var http = fixture.Node.CreateHttpClient();
        var response = await http.PutAsync($"{Path("invalid")}/deployments/d1", Json(body), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        await ApiAssert.ErrorAsync(await http.GetAsync($"{Path("invalid")}/deployments/d1", Ct), HttpStatusCode.NotFound, "UpdateDeploymentNotFound", 404016);
    }

    [Fact]
    public async Task ADeployment_OfAnUpdateNotImported_IsNotFound_AndOneAskedDifferentlyConflicts()
    {
        using var http = fixture.Node.CreateHttpClient();
        var provider = "p" + Guid.NewGuid().ToString("N")[..8];
        var group = "g-" + provider;
        await ApiAssert.ErrorAsync(
            await http.PutAsync($"{Path(group)}/deployments/d1", Json("{\"update\":{\"updateId\":{\"provider\":\"" + provider + "\",\"name\":\"Toaster\",\"version\":\"9.0\"}}}"), Ct),
            HttpStatusCode.NotFound, "UpdateNotFound", 404015);
        await UpdateUploads.ImportAsync(http, provider, "1.0", RandomNumberGenerator.GetBytes(100));
        await UpdateUploads.ImportAsync(http, provider, "1.1", RandomNumberGenerator.GetBytes(100));
        var body = $$$"""{"update":{"updateId":{"provider":"{{{provider}}}","name":"Toaster","version":"1.0"}},"startDateTime":"2030-01-01T00:00:00Z"}""";
        var first = await ApiAssert.JsonAsync(await http.PutAsync($"{Path(group)}/deployments/d1", Json(body), Ct));
        Assert.Equal("NotStarted", first.GetProperty("state").GetString());
        var again = await ApiAssert.JsonAsync(await http.PutAsync($"{Path(group)}/deployments/d1", Json(body), Ct));
        Assert.Equal(first.GetProperty("workflowId").GetString(), again.GetProperty("workflowId").GetString());
        await ApiAssert.ErrorAsync(
            await http.PutAsync($"{Path(group)}/deployments/d1", Json(body.Replace("\"1.0\"", "\"1.1\"", StringComparison.Ordinal)), Ct),
            HttpStatusCode.Conflict, "UpdateDeploymentAlreadyExists", 409304);
    }

    [Fact]
    public async Task TheManagementApi_TakesABearerToken_AndWritingNeedsRegistryWrite()
    {
        var readOnly = await fixture.TokenForAsync("registryRead");
        using var reader = fixture.Node.CreateHttpClient(authorization: "Bearer " + readOnly);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/deviceUpdate/devicefabric/management/groups", Ct)).StatusCode);
        await ApiAssert.ErrorAsync(
            await reader.PutAsync($"{Path("bearer")}/deployments/d1", Json("""{"update":{"updateId":{"provider":"x","name":"y","version":"1.0"}}}"""), Ct),
            HttpStatusCode.Unauthorized, "IotHubUnauthorizedAccess", 401002);
        using var anonymous = fixture.Node.CreateHttpClient(authorization: "Bearer sr=localhost&sig=bad&se=1");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/deviceUpdate/devicefabric/management/groups", Ct)).StatusCode);
    }

    private static string Path(string group) => $"/deviceUpdate/devicefabric/management/groups/{group}";

    /// <summary>Downloads a file in two requests, the second resuming with Range where the first stopped.</summary>
    private async Task<byte[]> DownloadInTwoPartsAsync(string url)
    {
        using var anonymous = fixture.Node.CreateHttpClient(authorization: null);
        var path = new Uri(url).PathAndQuery;
        using var head = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Range = new RangeHeaderValue(0, 99_999) } };
        var first = await anonymous.SendAsync(head, Ct);
        Assert.Equal(HttpStatusCode.PartialContent, first.StatusCode);
        var start = await first.Content.ReadAsByteArrayAsync(Ct);
        using var rest = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Range = new RangeHeaderValue(start.Length, null) } };
        var second = await anonymous.SendAsync(rest, Ct);
        Assert.Equal(HttpStatusCode.PartialContent, second.StatusCode);
        return [.. start, .. await second.Content.ReadAsByteArrayAsync(Ct)];
    }

    /// <summary>A device tagged into the group whose twin says it takes deployments as messages, with a recorder of its C2D messages.</summary>
    private async Task<UpdateTestDevices.SimpleDevice> SimpleDeviceAsync(HttpClient http, string group, string deviceId)
    {
        var identity = await fixture.Node.Client.Devices.CreateAsync(deviceId, cancellationToken: Ct);
        await ApiAssert.JsonAsync(await http.PatchAsync($"/twins/{deviceId}", Json($$$"""{"tags":{"ADUGroup":"{{{group}}}"}}"""), Ct));
        var twin = await TwinDevice.ConnectAsync(fixture.Node, identity, subscribeDesired: false);
        var messages = new Recorder<(string Topic, string Body)>();
        twin.Client.ApplicationMessageReceivedAsync += e => e.ApplicationMessage.Topic.Contains("/messages/devicebound/", StringComparison.Ordinal)
            ? messages.Add((e.ApplicationMessage.Topic, e.ApplicationMessage.ConvertPayloadToString() ?? string.Empty))
            : Task.CompletedTask;
        await twin.Client.SubscribeAsync($"devices/{deviceId}/messages/devicebound/#", MqttQualityOfServiceLevel.AtLeastOnce, Ct);
        var agent = """{"deviceUpdate":{"__t":"c","agent":{"state":0,"delivery":"c2d","deviceProperties":{"manufacturer":"Contoso","model":"Toaster"},"compatPropertyNames":"manufacturer,model","installedUpdateId":""}}}""";
        Assert.Equal(204, (await twin.PatchReportedAsync(agent)).Status);
        return new UpdateTestDevices.SimpleDevice(deviceId, twin, messages);
    }
}
