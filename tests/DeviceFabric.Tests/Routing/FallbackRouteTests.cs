using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DeviceFabric.Routing;
using DeviceFabric.Streams;
using DeviceFabric.Telemetry;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;
using DeviceFabric.Tests.Telemetry;

namespace DeviceFabric.Tests.Routing;

/// <summary>
/// The built-in endpoint as IoT Hub's: once device-message routes exist, it shows what a route to <c>events</c> and
/// the fallback route send it, through the grain client's consumer groups and the HTTPS event stream alike.
/// </summary>
public sealed class FallbackRouteTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WithRoutes_TheBuiltInEndpointShowsTheFallbackAndRoutesToEvents_AndWithoutTheFallbackOnlyTheRoutes()
    {
        await using var node = await TestNode.StartAsync();
        using var http = HttpsClients.Create(node);
        var device = await node.Client.Devices.CreateAsync("fallback-" + Guid.NewGuid().ToString("N")[..8], cancellationToken: Ct);
        var partition = FabricStreams.TelemetryPartitionOf(device.DeviceId);
        await node.Client.Routing.PutAsync(new RoutingSettings(
            [new RoutingEndpoint("hot", RoutingEndpointKind.Log)],
            [
                new RoutingRoute("hot", RoutingSource.DeviceMessages, "$body.temp > 30", ["hot"]),
                new RoutingRoute("audit", RoutingSource.DeviceMessages, "level = 'audit'", [TelemetryLogNames.BuiltIn]),
            ],
            []), cancellationToken: Ct);

        await RoutedTelemetry.SendAsync(node, device, ("""{"temp":40}""", "n=1"), ("""{"temp":20}""", "n=2"), ("""{"temp":40}""", "n=3&level=audit"), ("""{"temp":20}""", "n=4"));

        // n=1 went to "hot" only; n=2 and n=4 matched nothing (the fallback); n=3 matched both routes.
        var read = await ReadBuiltInAsync(node, device.DeviceId, partition, EventPosition.Earliest, until: "4");
        Assert.Equal(["2", "3", "4"], read.Select(e => e.Message.Properties["n"]));
        var streamed = await EventStream.ReadAsync(http, $"/messages/events/partitions/{partition}?from=earliest&maxEvents=3");
        Assert.Equal(["2", "3", "4"], streamed.Select(e => e.Property("n")));

        // The fallback off (IoT Hub's fallbackRoute.isEnabled): what no route matches is on no endpoint.
        var routing = (await ApiAssert.JsonAsync(await http.GetAsync("/routing", Ct))).GetRawText();
        var document = JsonNode.Parse(routing)!.AsObject();
        Assert.True(document["fallbackRoute"]!["isEnabled"]!.GetValue<bool>());
        document["fallbackRoute"]!["isEnabled"] = false;
        var put = await http.PutAsync("/routing", new StringContent(document.ToJsonString(), Encoding.UTF8, "application/json"), Ct);
        Assert.False((await ApiAssert.JsonAsync(put)).GetProperty("fallbackRoute").GetProperty("isEnabled").GetBoolean());

        await RoutedTelemetry.SendAsync(node, device, ("""{"temp":20}""", "n=5"), ("""{"temp":10}""", "n=6&level=audit"));
        var after = await ReadBuiltInAsync(node, device.DeviceId, partition, EventPosition.AfterOffset(read[^1].Offset), until: "6");
        Assert.Equal(["6"], after.Select(e => e.Message.Properties["n"]));

        // Every message is in the hub's log all the same: the routes decide what the built-in endpoint shows.
        var stored = (await node.Client.Telemetry.GetPartitionsAsync(Ct))[partition];
        Assert.Equal(6, stored.LastSequenceNumber - stored.FirstSequenceNumber + 1);
    }

    [Theory]
    [InlineData("""{"source":"TwinChangeEvents"}""")]
    [InlineData("""{"endpointNames":["hot"]}""")]
    [InlineData("""{"condition":"level = 'x'"}""")]
    public async Task AFallbackRouteChangedBeyondIsEnabled_IsRefused(string fallback)
    {
        await using var node = await TestNode.StartAsync();
        using var http = HttpsClients.Create(node);
        var put = await http.PutAsync("/routing", new StringContent($$"""{"routes":[],"fallbackRoute":{{fallback}}}""", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
    }

    [Fact]
    public async Task AnEndpointThatIsNotALogOfTheHub_IsRefused_AndLeavesNoLogBehind()
    {
        await using var node = await TestNode.StartAsync();
        using var http = HttpsClients.Create(node);
        foreach (var path in new[] { "/messages/events/partitions?endpoint=nosuch", "/messages/events/partitions/0?endpoint=nosuch&maxEvents=1" })
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync(path, Ct)).StatusCode);
        }

        Assert.False(Directory.Exists(Path.Combine(node.DataDirectory, "telemetry", "devicefabric.nosuch")));
    }

    /// <summary>Reads the built-in endpoint through a consumer group until the message numbered <paramref name="until"/>.</summary>
    private static async Task<List<TelemetryEvent>> ReadBuiltInAsync(TestNode node, string deviceId, int partition, EventPosition from, string until)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(TimeSpan.FromSeconds(30));
        var found = new List<TelemetryEvent>();
        await foreach (var item in node.Client.Telemetry.ReadAsync("$Default", partition, from, limit.Token))
        {
            if (item.Message.DeviceId == deviceId)
            {
                found.Add(item);
                if (item.Message.Properties.GetValueOrDefault("n") == until)
                {
                    break;
                }
            }
        }

        return found;
    }
}
