using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Json;

/// <summary>Over MQTT and REST, hostile JSON gets IoT Hub's 400 with its error body, and the twin stays as it was.</summary>
public sealed class HostileJsonTwinTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TestNode Node => fixture.Node;

    [Theory]
    [MemberData(nameof(HostileJson.Cases), MemberType = typeof(HostileJson))]
    public async Task ReportedPatch_IsRefused_AndTheTwinIsUnchanged(string name, int errorCode)
    {
        var device = await Node.Client.Devices.CreateAsync("json-" + Guid.NewGuid().ToString("N")[..10], cancellationToken: Ct);
        using var twin = await TwinDevice.ConnectAsync(Node, device, subscribeDesired: false);
        Assert.Equal(204, (await twin.PatchReportedAsync("""{"keep":true}""")).Status);

        var (status, version, body) = await twin.PatchReportedAsync(HostileJson.Object(name));

        Assert.Equal(400, status);
        Assert.Null(version);
        Assert.Equal(errorCode, JsonNode.Parse(body)!["errorCode"]!.GetValue<int>());
        Assert.Equal("""{"desired":{"$version":1},"reported":{"keep":true,"$version":2}}""", (await twin.GetAsync()).Body);
        Assert.True(twin.Client.IsConnected);
    }

    [Theory]
    [MemberData(nameof(HostileJson.Cases), MemberType = typeof(HostileJson))]
    public async Task ServicePatch_IsRefused_AndTheTwinIsUnchanged(string name, int errorCode)
    {
        var device = await Node.Client.Devices.CreateAsync("json-" + Guid.NewGuid().ToString("N")[..10], cancellationToken: Ct);
        using var http = Node.CreateHttpClient();
        var before = (await ApiAssert.JsonAsync(await http.GetAsync($"/twins/{device.DeviceId}", Ct))).GetProperty("etag").GetString();
        using var content = new ByteArrayContent(HostileJson.TagsPatch(name));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await http.PatchAsync($"/twins/{device.DeviceId}", content, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(errorCode, (await ApiAssert.JsonAsync(response, HttpStatusCode.BadRequest)).GetProperty("errorCode").GetInt32());
        Assert.Equal(before, (await ApiAssert.JsonAsync(await http.GetAsync($"/twins/{device.DeviceId}", Ct))).GetProperty("etag").GetString());
    }
}
