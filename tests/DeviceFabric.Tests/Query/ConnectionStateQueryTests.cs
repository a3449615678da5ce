using System.Text.Json.Nodes;
using DeviceFabric.Events;
using DeviceFabric.Registry;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;
using MQTTnet;

namespace DeviceFabric.Tests.Query;

/// <summary>connectionState in queries: follows a real MQTT session, and crossing reports leave the newest state.</summary>
public sealed class ConnectionStateQueryTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string?> StateAsync(string deviceId)
    {
        var page = await Node.Client.Query.QueryPageAsync($"SELECT connectionState FROM devices WHERE deviceId = '{deviceId}'", cancellationToken: Ct);
        return JsonNode.Parse(Assert.Single(page.Items))!["connectionState"]!.GetValue<string>();
    }

    [Fact]
    public async Task ConnectionState_FollowsTheMqttSession()
    {
        var events = new Recorder<DeviceLifecycleEvent>();
        await using var subscription = await Node.Client.Events.SubscribeAsync(events.Add, Ct);
        var device = await Node.Client.Devices.CreateAsync("connq-" + Guid.NewGuid().ToString("N")[..10], cancellationToken: Ct);
        Assert.Equal("Disconnected", await StateAsync(device.DeviceId));

        var (client, _) = await MqttDevice.ConnectAsync(Node, device.DeviceId, MqttDevice.Token(device.DeviceId, device.Authentication.PrimaryKey!));
        await events.WaitForAsync(e => e.DeviceId == device.DeviceId && e.Kind == DeviceLifecycleKind.Connected);
        Assert.Equal("Connected", await StateAsync(device.DeviceId));
        var connected = await Node.Client.Query.QueryPageAsync($"SELECT COUNT() AS n FROM devices WHERE connectionState = 'Connected' AND deviceId = '{device.DeviceId}'", cancellationToken: Ct);
        Assert.Equal(1, JsonNode.Parse(connected.Items[0])!["n"]!.GetValue<int>());

        await client.DisconnectAsync(cancellationToken: Ct);
        client.Dispose();
        await events.WaitForAsync(e => e.DeviceId == device.DeviceId && e.Kind == DeviceLifecycleKind.Disconnected);
        Assert.Equal("Disconnected", await StateAsync(device.DeviceId));
    }

    [Fact]
    public async Task CrossingReports_LeaveTheNewestSessionsState()
    {
        var device = await Node.Client.Devices.CreateAsync("epoch-" + Guid.NewGuid().ToString("N")[..10], cancellationToken: Ct);
        var shard = Node.Services.GetRequiredServiceGrainFactory().GetGrain<IRegistryShardGrain>(RegistryShards.Key("devicefabric", RegistryShards.ShardOf(device.DeviceId)));

        await shard.SetConnectionStateAsync(device.DeviceId, connected: true, epoch: 20);
        await shard.SetConnectionStateAsync(device.DeviceId, connected: false, epoch: 10); // the old session's late disconnect
        Assert.Equal("Connected", await StateAsync(device.DeviceId));

        await shard.SetConnectionStateAsync(device.DeviceId, connected: false, epoch: 20);
        await shard.SetConnectionStateAsync(device.DeviceId, connected: true, epoch: 20); // the same session's connect, late
        Assert.Equal("Disconnected", await StateAsync(device.DeviceId));
    }
}
