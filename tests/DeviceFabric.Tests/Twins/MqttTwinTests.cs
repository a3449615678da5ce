using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;
using DeviceFabric.Twins;
using MQTTnet;

namespace DeviceFabric.Tests.Twins;

/// <summary>The twin over MQTT (IoT Hub's topics and bodies) and over REST, ending in the same document.</summary>
public sealed class MqttTwinTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(DeviceFabric.Devices.DeviceIdentity Device, TwinDevice Twin)> NewConnectedDeviceAsync(bool subscribeDesired = true)
    {
        var device = await Node.Client.Devices.CreateAsync("twin-" + Guid.NewGuid().ToString("N")[..12], cancellationToken: Ct);
        return (device, await TwinDevice.ConnectAsync(Node, device, subscribeDesired));
    }

    [Fact]
    public async Task Get_OnAFreshTwin_ReturnsEmptySectionsAtVersionOne()
    {
        var (_, twin) = await NewConnectedDeviceAsync();
        using var twinScope = twin;
        var (status, _, body) = await twin.GetAsync();
        Assert.Equal(200, status);
        Assert.Equal("""{"desired":{"$version":1},"reported":{"$version":1}}""", body);
    }

    [Fact]
    public async Task ReportedPatch_Returns204WithTheNewVersion_AndTheServiceSeesIt()
    {
        var changes = new Recorder<TwinChangeEvent>();
        await using var subscription = await Node.Client.Twins.SubscribeChangesAsync(changes.Add, Ct);
        var (device, twin) = await NewConnectedDeviceAsync();
        using var twinScope = twin;

        var (status, version, body) = await twin.PatchReportedAsync("""{"firmware":{"version":"1.2.3"},"battery":87}""");
        Assert.Equal((204, 2L, string.Empty), (status, version, body));
        (status, version, _) = await twin.PatchReportedAsync("""{"battery":null,"firmware":{"state":"ok"}}""");
        Assert.Equal((204, 3L), (status, version));

        var document = await Node.Client.Twins.GetAsync(device.DeviceId, Ct);
        var reported = document["properties"]!["reported"]!;
        Assert.Equal("1.2.3", reported["firmware"]!["version"]!.GetValue<string>());
        Assert.Equal("ok", reported["firmware"]!["state"]!.GetValue<string>());
        Assert.Null(reported["battery"]);
        Assert.Equal(3, reported["$version"]!.GetValue<long>());
        Assert.NotNull(reported["$metadata"]!["firmware"]!["version"]!["$lastUpdated"]);
        Assert.Equal("Connected", document["connectionState"]!.GetValue<string>());

        var change = await changes.WaitForAsync(c => c.DeviceId == device.DeviceId && c.Kind == TwinChangeKind.ReportedUpdated && c.Patch.Contains("\"state\"", StringComparison.Ordinal));
        Assert.Equal(3, JsonNode.Parse(change.Patch)!["properties"]!["reported"]!["$version"]!.GetValue<long>());
    }

    [Fact]
    public async Task DesiredPatchesFromRest_ReachTheDeviceInOrder_WithEveryVersion()
    {
        var (device, twin) = await NewConnectedDeviceAsync();
        using var twinScope = twin;
        using var http = Node.CreateHttpClient();
        for (var i = 1; i <= 5; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Patch, $"/twins/{device.DeviceId}")
            {
                Content = new StringContent(
                    "{\"properties\":{\"desired\":{\"interval\":" + i + ",\"old\":" + (i == 5 ? "null" : "1") + "}},\"tags\":{\"site\":\"plant-" + i + "\"}}",
                    Encoding.UTF8,
                    "application/json"),
            };
            request.Headers.TryAddWithoutValidation("If-Match", "\"*\"");
            await ApiAssert.JsonAsync(await http.SendAsync(request, Ct));
        }

        var last = await twin.WaitForDesiredAsync(6);
        Assert.Equal("""{"interval":5,"old":null,"$version":6}""", last.ToJsonString());
        Assert.Equal([2L, 3, 4, 5, 6], twin.DesiredVersionsReceived);

        var (_, _, body) = await twin.GetAsync();
        Assert.Equal("""{"desired":{"interval":5,"$version":6},"reported":{"$version":1}}""", body);
        var (_, _, delta) = await twin.GetAsync("&$since=4");
        Assert.Equal("""{"desired":{"interval":5,"old":null,"$version":6},"reported":{"$version":1}}""", delta);
    }

    [Fact]
    public async Task DesiredPatches_AreNotSentToADeviceThatDidNotSubscribe()
    {
        var (device, twin) = await NewConnectedDeviceAsync(subscribeDesired: false);
        using var twinScope = twin;
        await Node.Client.Twins.UpdateAsync(device.DeviceId, JsonNode.Parse("""{"properties":{"desired":{"x":1}}}""")!.AsObject(), cancellationToken: Ct);
        var (_, _, body) = await twin.GetAsync();
        Assert.Contains("\"x\":1", body, StringComparison.Ordinal);
        Assert.Empty(twin.DesiredVersionsReceived);
    }

    [Theory]
    [InlineData("{not json", 400, 400006)]
    [InlineData("[1,2]", 400, 400006)]
    [InlineData("""{"bad.key":1}""", 400, 400004)]
    [InlineData("""{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":{"i":{"j":{"k":1}}}}}}}}}}}""", 400, 400004)]
    [InlineData("BIG", 413, 413001)]
    public async Task BadReportedPatch_GetsAnErrorBody_AndChangesNothing(string patch, int status, int errorCode)
    {
        var (device, twin) = await NewConnectedDeviceAsync();
        using var twinScope = twin;
        await twin.PatchReportedAsync("""{"keep":true}""");
        var big = $$"""{"a":"{{new string('a', 4000)}}","b":"{{new string('b', 4000)}}","c":"{{new string('c', 4000)}}","d":"{{new string('d', 4000)}}","e":"{{new string('e', 4000)}}","f":"{{new string('f', 4000)}}","g":"{{new string('g', 4000)}}","h":"{{new string('h', 4000)}}","i":"{{new string('i', 1000)}}"}""";

        var (actualStatus, version, body) = await twin.PatchReportedAsync(patch == "BIG" ? big : patch);
        Assert.Equal(status, actualStatus);
        Assert.Null(version);
        Assert.Equal(errorCode, JsonNode.Parse(body)!["errorCode"]!.GetValue<int>());

        var (_, _, properties) = await twin.GetAsync();
        Assert.Equal("""{"desired":{"$version":1},"reported":{"keep":true,"$version":2}}""", properties);
        Assert.True(twin.Client.IsConnected);
    }

    [Fact]
    public async Task UnknownTwinOperation_ClosesTheConnection()
    {
        fixture.Node.Logs.Expect("unknown twin operation");
        var (_, twin) = await NewConnectedDeviceAsync();
        using var twinScope = twin;
        var closed = MqttDevice.WhenDisconnected(twin.Client);
        try
        {
            await twin.Client.PublishStringAsync("$iothub/twin/DELETE/?$rid=1", "{}", MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: Ct);
        }
        catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
        {
        }

        await closed.WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }

    [Fact]
    public async Task RestPatch_WithStaleEtag_Is412AndChangesNothing()
    {
        var (device, twin) = await NewConnectedDeviceAsync();
        using var twinScope = twin;
        using var http = Node.CreateHttpClient();
        var original = await ApiAssert.JsonAsync(await http.GetAsync($"/twins/{device.DeviceId}", Ct));
        var etag = original.GetProperty("etag").GetString();
        await twin.PatchReportedAsync("""{"moved":true}""");

        using var stale = new HttpRequestMessage(HttpMethod.Patch, $"/twins/{device.DeviceId}") { Content = new StringContent("""{"tags":{"a":1}}""", Encoding.UTF8, "application/json") };
        stale.Headers.TryAddWithoutValidation("If-Match", $"\"{etag}\"");
        await ApiAssert.ErrorAsync(await http.SendAsync(stale, Ct), HttpStatusCode.PreconditionFailed, "PreconditionFailed", 412002);
        var after = await Node.Client.Twins.GetAsync(device.DeviceId, Ct);
        Assert.Empty(after["tags"]!.AsObject());
        Assert.Empty(twin.DesiredVersionsReceived);
    }
}
