using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DeviceFabric.Devices;
using DeviceFabric.Routing;
using DeviceFabric.Streams;
using DeviceFabric.Telemetry;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace DeviceFabric.Tests.Routing;

/// <summary>Routes send each message where its condition says: named logs, webhooks with retries and dead letters, with enrichments.</summary>
public sealed class MessageRoutingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Conditions_OnPropertiesBodyAndTwinTags_SendEachMessageWhereItBelongs_WithEnrichments()
    {
        await using var node = await TestNode.StartAsync();
        await using var hook = new WebhookReceiver(500, 503);
        node.Logs.Expect("dead-letter");
        var north = await CreateAsync(node, "north");
        var south = await CreateAsync(node, "south");
        await node.Client.Routing.PutAsync(new RoutingSettings(
            [new RoutingEndpoint("critical", RoutingEndpointKind.Log), new RoutingEndpoint("hot-north", RoutingEndpointKind.Webhook, hook.Url)],
            [
                new RoutingRoute("by-property", RoutingSource.DeviceMessages, "level = 'critical'", ["critical"]),
                new RoutingRoute("by-body-and-twin", RoutingSource.DeviceMessages, "$body.temp > 30 AND $twin.tags.site = 'north'", ["hot-north"]),
                new RoutingRoute("twin-changes", RoutingSource.TwinChangeEvents, "$twin.tags.site = 'north' OR opType = 'updateTwin'", ["critical"]),
            ],
            [new RoutingEnrichment("site", "$twin.tags.site", ["critical", "hot-north"]), new RoutingEnrichment("env", "prod", ["critical"])]), cancellationToken: Ct);

        await SendAsync(node, north, """{"temp":25}""", "level=critical&n=1");
        await SendAsync(node, north, """{"temp":20}""", "level=info&n=2");
        await SendAsync(node, south, """{"temp":40}""", "level=info&n=3");
        await SendAsync(node, north, """{"temp":31}""", "level=info&n=4");

        // The property route: only n=1, enriched with the twin's tag and the static value.
        var critical = await ReadAsync(node, "critical", north.DeviceId, count: 1);
        var routed = Assert.Single(critical);
        Assert.Equal(("1", "north", "prod"), (routed.Message.Properties["n"], routed.Message.Properties["site"], routed.Message.Properties["env"]));

        // The webhook answered 500 then 503 to n=4's first attempts: it was retried and delivered once it answered 200.
        var delivered = new List<string>();
        var statuses = new List<int>();
        while (statuses.Count < 3)
        {
            var (status, body) = await hook.Requests.Reader.ReadAsync(Ct);
            statuses.Add(status);
            if (status == 200)
            {
                delivered.Add(body.GetProperty("properties").GetProperty("n").GetString()!);
                Assert.Equal("north", body.GetProperty("properties").GetProperty("site").GetString());
                Assert.Equal("""{"temp":31}""", body.GetProperty("body").GetString());
            }
        }

        Assert.Equal([500, 503, 200], statuses);
        Assert.Equal(["4"], delivered);

        // A twin change routed as IoT Hub's twinChangeEvents message.
        await node.Client.Twins.UpdateAsync(south.DeviceId, JsonNode.Parse("""{"tags":{"floor":3}}""")!.AsObject(), cancellationToken: Ct);
        var change = Assert.Single(await ReadAsync(node, "critical", south.DeviceId, count: 1, source: "twinChangeEvents"));
        Assert.Equal("twinChangeEvents", change.Message.SystemProperties["iothub-message-source"]);
        Assert.Equal("updateTwin", change.Message.Properties["opType"]);
        Assert.Equal("south", change.Message.Properties["site"]);
    }

    [Fact]
    public async Task AWebhookThatKeepsFailing_DeadLetters_WithoutHoldingUpTheOtherEndpoints()
    {
        await using var node = await TestNode.StartAsync();
        await using var hook = new WebhookReceiver { AlwaysFail = true };
        node.Logs.Expect("dead-letter");
        var device = await CreateAsync(node, "east");
        await node.Client.Routing.PutAsync(new RoutingSettings(
            [new RoutingEndpoint("broken", RoutingEndpointKind.Webhook, hook.Url), new RoutingEndpoint("all", RoutingEndpointKind.Log)],
            [
                new RoutingRoute("to-broken", RoutingSource.DeviceMessages, null, ["broken"]),
                new RoutingRoute("to-all", RoutingSource.DeviceMessages, "true", ["all"]),
                new RoutingRoute("lifecycle", RoutingSource.DeviceLifecycleEvents, null, ["all"]),
            ],
            []), cancellationToken: Ct);

        await SendAsync(node, device, """{"x":1}""", "n=1");
        await SendAsync(node, device, """{"x":2}""", "n=2");

        // The log endpoint has both while the webhook is still failing its first.
        Assert.Equal(["1", "2"], (await ReadAsync(node, "all", device.DeviceId, count: 2)).Select(e => e.Message.Properties["n"]));
        var dead = await ReadAsync(node, TelemetryLogNames.DeadLetter, device.DeviceId, count: 2);
        Assert.All(dead, e => Assert.Equal(("broken", "the webhook answered 500"), (e.Message.SystemProperties["deadletter-endpoint"], e.Message.SystemProperties["deadletter-reason"])));
        Assert.Equal(["1", "2"], dead.Select(e => e.Message.Properties["n"]));

        // Lifecycle events are routed too; and the dead letters are readable over HTTPS.
        var created = await node.Client.Devices.CreateAsync("routed-" + Guid.NewGuid().ToString("N")[..8], cancellationToken: Ct);
        var lifecycle = Assert.Single(await ReadAsync(node, "all", created.DeviceId, count: 1, source: "deviceLifecycleEvents"));
        Assert.Equal(("deviceLifecycleEvents", "createDeviceIdentity"), (lifecycle.Message.SystemProperties["iothub-message-source"], lifecycle.Message.Properties["opType"]));
        using var http = node.CreateHttpClient();
        var partition = FabricStreams.TelemetryPartitionOf(device.DeviceId);
        var stream = await http.GetStringAsync($"/messages/events/partitions/{partition}?endpoint=$deadletter&from=earliest&maxEvents=1", Ct);
        Assert.Contains("\"deadletter-endpoint\":\"broken\"", stream, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARouteWhoseConditionDoesNotParse_IsRefusedWithItsPosition_AndNothingChanges()
    {
        await using var node = await TestNode.StartAsync();
        using var http = node.CreateHttpClient();
        var body = """{"endpoints":[{"name":"l","kind":"log"}],"routes":[{"name":"bad","source":"DeviceMessages","condition":"level = = 'x'","endpointNames":["l"]}]}""";
        var refused = await http.PutAsync("/routing", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("position 9", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var unknown = await http.PutAsync("/routing", new StringContent("""{"routes":[{"name":"r","source":"DeviceMessages","endpointNames":["nowhere"]}]}""", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var stored = await ApiAssert.JsonAsync(await http.GetAsync("/routing", Ct));
        Assert.Equal(0, stored.GetProperty("routes").GetArrayLength());
    }

    private static async Task<DeviceIdentity> CreateAsync(TestNode node, string site)
    {
        var device = await node.Client.Devices.CreateAsync($"{site}-{Guid.NewGuid():N}"[..20], cancellationToken: Ct);
        await node.Client.Twins.UpdateAsync(device.DeviceId, JsonNode.Parse($$$"""{"tags":{"site":"{{{site}}}"}}""")!.AsObject(), cancellationToken: Ct);
        return device;
    }

    private static Task SendAsync(TestNode node, DeviceIdentity device, string json, string properties) =>
        RoutedTelemetry.SendAsync(node, device, (json, properties));

    /// <summary>Waits, reading the endpoint's log (long polls, no sleeps), until the device has <paramref name="count"/> messages there.</summary>
    private static async Task<List<TelemetryEvent>> ReadAsync(TestNode node, string endpoint, string deviceId, int count, string source = "Telemetry")
    {
        var log = node.Services.GetRequiredService<ITelemetryLog>();
        var found = new List<TelemetryEvent>();
        var position = EventPosition.Earliest;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(TimeSpan.FromSeconds(30));
        while (found.Count < count)
        {
            var read = await log.ReadAsync(TelemetryLogNames.Of("devicefabric", endpoint), FabricStreams.TelemetryPartitionOf(deviceId), position, 100, TimeSpan.FromSeconds(5), limit.Token);
            found.AddRange(read.Events.Where(e => e.Message.DeviceId == deviceId && e.Message.SystemProperties["iothub-message-source"] == source));
            position = read.Next;
        }

        return found;
    }
}
