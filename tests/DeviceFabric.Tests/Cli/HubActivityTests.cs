using DeviceFabric.Events;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Cli;

/// <summary><c>devicefabric device-identity connection-history</c> and <c>events lifecycle</c> run as processes against a real node and a real MQTT device.</summary>
public sealed class HubActivityTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_connect_and_disconnect_show_in_the_history_and_the_feed()
    {
        var events = new Recorder<DeviceLifecycleEvent>();
        await using var subscription = await Node.Client.Events.SubscribeAsync(events.Add, Ct);
        var id = $"cli-hist-{Guid.NewGuid():N}"[..20];
        await CliRunner.JsonAsync(Node, "device-identity", "create", "-d", id);
        var device = await Node.Client.Devices.GetAsync(id, Ct);
        await MqttDevice.ConnectAndLeaveAsync(Node, id, device.Authentication.PrimaryKey!);
        await events.WaitForAsync(e => e.DeviceId == id && e.Kind == DeviceLifecycleKind.Disconnected);

        var history = await CliRunner.JsonAsync(Node, "device-identity", "connection-history", "-d", id);
        Assert.Equal("Disconnected", (string?)history!["connectionState"]);
        Assert.Equal(["Disconnected", "Connected"], history["history"]!.AsArray().Select(c => (string?)c!["state"]));

        var table = await CliRunner.RunAsync(Node, "device-identity", "connection-history", "-d", id, "--output", "table");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("SequenceNumber", table.Output, StringComparison.Ordinal);
        Assert.Contains("Connected", table.Output, StringComparison.Ordinal);

        var feed = await Eventually.HoldsAsync(
            async () => (await CliRunner.JsonAsync(Node, "events", "lifecycle", "--top", "200"))!.AsArray(),
            items => items.Count(e => (string?)e!["deviceId"] == id) == 3,
            "the feed lists the device's three events");
        Assert.Equal(["disconnected", "connected", "created"], feed.Where(e => (string?)e!["deviceId"] == id).Select(e => (string?)e!["kind"]));

        var missing = await CliRunner.RunAsync(Node, "device-identity", "connection-history", "-d", "nobody-" + id);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("DeviceNotFound", missing.Error, StringComparison.Ordinal);
    }
}
