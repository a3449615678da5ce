using System.Net;
using System.Text.Json;
using DeviceFabric.Events;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace DeviceFabric.Tests.Devices;

/// <summary>
/// A device's connection history and the hub's recent lifecycle events, as real MQTT sessions make them, read over
/// HTTPS and through the grain client SDK.
/// </summary>
public sealed class ConnectionHistoryTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Connects_supersessions_and_a_disable_are_kept_newest_first_with_their_reasons()
    {
        using var metrics = new MeterRecorder(Node.Services.GetRequiredService<DeviceFabric.Devices.DeviceInstruments>().Meter);
        var events = new Recorder<DeviceLifecycleEvent>();
        await using var subscription = await Node.Client.Events.SubscribeAsync(events.Add, Ct);
        var device = await Node.Client.Devices.CreateAsync("history-" + Guid.NewGuid().ToString("N")[..10], cancellationToken: Ct);
        using var http = Node.CreateHttpClient();
        var path = $"/devices/{device.DeviceId}/connections";
        var empty = await ApiAssert.JsonAsync(await http.GetAsync(path, Ct));
        Assert.Equal("Disconnected", empty.GetProperty("connectionState").GetString());
        Assert.Equal(0, empty.GetProperty("history").GetArrayLength());

        var token = MqttDevice.Token(device.DeviceId, device.Authentication.PrimaryKey!);
        var (first, _) = await MqttDevice.ConnectAsync(Node, device.DeviceId, token);
        await events.WaitForAsync(e => e.DeviceId == device.DeviceId && e.Kind == DeviceLifecycleKind.Connected);
        var (second, _) = await MqttDevice.ConnectAsync(Node, device.DeviceId, token);
        await events.WaitForAsync(e => e.DeviceId == device.DeviceId && e.Kind == DeviceLifecycleKind.Connected);
        await Node.Client.Devices.UpdateAsync(device.DeviceId, new DeviceFabric.Devices.DeviceSettings { Status = DeviceFabric.Devices.DeviceStatus.Disabled }, cancellationToken: Ct);
        await events.WaitForAsync(e => e.DeviceId == device.DeviceId && e.Kind == DeviceLifecycleKind.Disconnected && e.Reason == "device disabled");
        first.Dispose();
        second.Dispose();

        var history = await ApiAssert.JsonAsync(await http.GetAsync(path, Ct));
        Assert.Equal(device.DeviceId, history.GetProperty("deviceId").GetString());
        Assert.Equal("Disconnected", history.GetProperty("connectionState").GetString());
        var changes = history.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(["Disconnected", "Connected", "Disconnected", "Connected"], changes.Select(c => c.GetProperty("state").GetString()));
        Assert.Equal("device disabled", changes[0].GetProperty("reason").GetString());
        Assert.StartsWith("superseded", changes[2].GetProperty("reason").GetString(), StringComparison.Ordinal);
        var sequences = changes.Select(c => c.GetProperty("sequenceNumber").GetString()!).ToList();
        Assert.Equal(sequences[0], sequences[1]);
        Assert.Equal(sequences[2], sequences[3]);
        Assert.True(string.CompareOrdinal(sequences[0], sequences[2]) > 0, "A later session has a greater sequence number");
        var times = changes.Select(c => c.GetProperty("time").GetDateTimeOffset()).ToList();
        Assert.Equal(times.OrderDescending(), times);

        Assert.True(metrics.Total("devicefabric-sessions-ended") >= 2, "the supersession and the disable are counted");
        var sdk = await Node.Client.Devices.GetConnectionHistoryAsync(device.DeviceId, Ct);
        Assert.Equal(changes.Select(c => c.GetProperty("state").GetString() == "Connected"), sdk.Changes.Select(c => c.Connected));
        Assert.Equal("device disabled", sdk.Changes[0].Reason);
    }

    [Fact]
    public async Task The_hubs_feed_lists_creation_connection_and_deletion_newest_first()
    {
        var device = await Node.Client.Devices.CreateAsync("feed-" + Guid.NewGuid().ToString("N")[..10], cancellationToken: Ct);
        await MqttDevice.ConnectAndLeaveAsync(Node, device.DeviceId, device.Authentication.PrimaryKey!);
        await Node.Client.Devices.DeleteAsync(device.DeviceId, cancellationToken: Ct);

        using var http = Node.CreateHttpClient();
        string[] expected = ["deleted", "disconnected", "connected", "created"];
        var kinds = await Eventually.HoldsAsync(
            async () => string.Join(',', (await ApiAssert.JsonAsync(await http.GetAsync("/lifecycle/events?top=200", Ct))).GetProperty("value").EnumerateArray()
                .Where(e => e.GetProperty("deviceId").GetString() == device.DeviceId).Select(e => e.GetProperty("kind").GetString())),
            kinds => kinds == string.Join(',', expected),
            "the feed holds the device's four events, newest first");
        Assert.Equal(string.Join(',', expected), kinds);

        var recent = await Node.Client.Events.RecentAsync(ILifecycleFeedGrain.MaxEvents, Ct);
        Assert.Equal(
            [DeviceLifecycleKind.Deleted, DeviceLifecycleKind.Disconnected, DeviceLifecycleKind.Connected, DeviceLifecycleKind.Created],
            recent.Where(e => e.DeviceId == device.DeviceId).Select(e => e.Kind));
        var two = await ApiAssert.JsonAsync(await http.GetAsync("/lifecycle/events?top=2", Ct));
        Assert.Equal(2, two.GetProperty("value").GetArrayLength());
    }

    [Fact]
    public async Task Only_the_latest_ten_changes_are_kept()
    {
        var device = await Node.Client.Devices.CreateAsync("flap-" + Guid.NewGuid().ToString("N")[..10], cancellationToken: Ct);
        for (var i = 0; i < 7; i++)
        {
            await MqttDevice.ConnectAndLeaveAsync(Node, device.DeviceId, device.Authentication.PrimaryKey!);
        }

        var history = await Eventually.HoldsAsync(
            () => Node.Client.Devices.GetConnectionHistoryAsync(device.DeviceId, Ct),
            h => h.State == DeviceFabric.Devices.DeviceConnectionState.Disconnected && h.Changes.Count == 10 && !h.Changes[0].Connected,
            "ten changes kept, the last disconnect first");
        Assert.Equal(5, history.Changes.Select(c => c.SessionEpoch).Distinct().Count());
    }

    [Fact]
    public async Task Unknown_devices_and_modules_and_bad_sizes_get_IoT_Hubs_errors()
    {
        using var http = Node.CreateHttpClient();
        await ApiAssert.ErrorAsync(await http.GetAsync("/devices/nobody-here/connections", Ct), HttpStatusCode.NotFound, "DeviceNotFound", 404001);
        var device = await Node.Client.Devices.CreateAsync("modhist-" + Guid.NewGuid().ToString("N")[..10], cancellationToken: Ct);
        await ApiAssert.ErrorAsync(await http.GetAsync($"/devices/{device.DeviceId}/modules/nothing/connections", Ct), HttpStatusCode.NotFound, "ModuleNotFound", 404010);
        await Node.Client.Modules.CreateAsync(device.DeviceId, "sensor", cancellationToken: Ct);
        var module = await ApiAssert.JsonAsync(await http.GetAsync($"/devices/{device.DeviceId}/modules/sensor/connections", Ct));
        Assert.Equal("sensor", module.GetProperty("moduleId").GetString());
        Assert.Equal(JsonValueKind.Array, module.GetProperty("history").ValueKind);

        await ApiAssert.ErrorAsync(await http.GetAsync("/lifecycle/events?top=0", Ct), HttpStatusCode.BadRequest, "ArgumentInvalid", 400004);
        await ApiAssert.ErrorAsync(await http.GetAsync("/lifecycle/events?top=201", Ct), HttpStatusCode.BadRequest, "ArgumentInvalid", 400004);
        using var reader = Node.CreateHttpClient(authorization: null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await reader.GetAsync("/lifecycle/events", Ct)).StatusCode);
    }

    [Fact]
    public async Task History_and_feed_survive_a_restart()
    {
        var data = TestNode.NewDataDirectory();
        string deviceId;
        await using (var node = await TestNode.StartAsync(data))
        {
            var device = await node.Client.Devices.CreateAsync("kept-" + Guid.NewGuid().ToString("N")[..10], cancellationToken: Ct);
            deviceId = device.DeviceId;
            await MqttDevice.ConnectAndLeaveAsync(node, deviceId, device.Authentication.PrimaryKey!);
            await Eventually.HoldsAsync(
                async () => (await node.Client.Events.RecentAsync(10, Ct)).Count(e => e.DeviceId == deviceId),
                n => n == 3,
                "the feed heard the create, connect and disconnect");
            await Eventually.HoldsAsync(() => node.Client.Devices.GetConnectionHistoryAsync(deviceId, Ct), h => h.Changes.Count == 2, "both changes recorded");
        }

        await using (var node = await TestNode.StartAsync(data))
        {
            var history = await node.Client.Devices.GetConnectionHistoryAsync(deviceId, Ct);
            Assert.Equal([false, true], history.Changes.Select(c => c.Connected));
            var feed = await node.Client.Events.RecentAsync(10, Ct);
            Assert.Equal(
                [DeviceLifecycleKind.Disconnected, DeviceLifecycleKind.Connected, DeviceLifecycleKind.Created],
                feed.Where(e => e.DeviceId == deviceId).Select(e => e.Kind));
        }
    }
}
