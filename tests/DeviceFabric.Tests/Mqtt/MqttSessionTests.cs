using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using DeviceFabric.Devices;
using DeviceFabric.Events;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;
using MQTTnet;

namespace DeviceFabric.Tests.Mqtt;

/// <summary>One live session per device, ended by a newer connection, by disabling, deleting or re-keying, or by silence; exact events.</summary>
public sealed class MqttSessionTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(DeviceIdentity Device, Recorder<DeviceLifecycleEvent> Events, IAsyncDisposable Subscription)> NewDeviceAsync()
    {
        var events = new Recorder<DeviceLifecycleEvent>();
        var subscription = await Node.Client.Events.SubscribeAsync(events.Add, Ct);
        var device = await Node.Client.Devices.CreateAsync("session-" + Guid.NewGuid().ToString("N")[..12], cancellationToken: Ct);
        return (device, events, subscription);
    }

    private Task<(IMqttClient Client, MqttClientConnectResult Result)> ConnectAsync(DeviceIdentity device) =>
        MqttDevice.ConnectAsync(Node, device.DeviceId, MqttDevice.Token(device.DeviceId, device.Authentication.PrimaryKey!));

    [Fact]
    public async Task NewConnection_SupersedesTheOld_WithOrderedEventsAndGrowingEpochs()
    {
        var (device, events, subscription) = await NewDeviceAsync();
        await using var _ = subscription;
        var (first, _) = await ConnectAsync(device);
        var firstClosed = MqttDevice.WhenDisconnected(first);

        // The CONNACK can reach the client before the front end has attached the session to the grain; a second
        // connection whose attach overtook the first's would rightly leave the first never live (one Connected event).
        var connected1 = await events.WaitForAsync(e => e.DeviceId == device.DeviceId && e.Kind == DeviceLifecycleKind.Connected);
        var (second, result) = await ConnectAsync(device);
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);

        await firstClosed.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.True(second.IsConnected);
        var connected2 = await events.WaitForAsync(e => e.DeviceId == device.DeviceId && e.Kind == DeviceLifecycleKind.Connected && e != connected1);

        var mine = events.Seen.Where(e => e.DeviceId == device.DeviceId).ToList();
        Assert.Equal([DeviceLifecycleKind.Created, DeviceLifecycleKind.Connected, DeviceLifecycleKind.Disconnected, DeviceLifecycleKind.Connected], mine.Select(e => e.Kind));
        Assert.Equal(mine[1].SessionEpoch, mine[2].SessionEpoch);
        Assert.True(connected2.SessionEpoch > mine[1].SessionEpoch);
        Assert.Equal(DeviceConnectionState.Connected, (await Node.Client.Devices.GetAsync(device.DeviceId, Ct)).ConnectionState);

        await second.DisconnectAsync(cancellationToken: Ct);
        var last = await events.WaitForAsync(e => e.DeviceId == device.DeviceId && e.Kind == DeviceLifecycleKind.Disconnected && e.SessionEpoch == connected2.SessionEpoch);
        Assert.Equal("device disconnected", last.Reason);
        Assert.Equal(DeviceConnectionState.Disconnected, (await Node.Client.Devices.GetAsync(device.DeviceId, Ct)).ConnectionState);
    }

    [Fact]
    public async Task ReconnectWithoutCleanSession_TakesOverTheSession_AndKeepsItsSubscriptions()
    {
        // The Azure device SDKs connect with clean-session 0: MQTTnet then hands the new connection the old session.
        var (device, events, subscription) = await NewDeviceAsync();
        await using var _ = subscription;
        var token = MqttDevice.Token(device.DeviceId, device.Authentication.PrimaryKey!);
        var (first, _) = await MqttDevice.ConnectAsync(Node, device.DeviceId, token, cleanSession: false);
        await first.SubscribeAsync("$iothub/twin/PATCH/properties/desired/#", cancellationToken: Ct);
        var connected1 = await events.WaitForAsync(e => e.DeviceId == device.DeviceId && e.Kind == DeviceLifecycleKind.Connected);

        var (second, result) = await MqttDevice.ConnectAsync(Node, device.DeviceId, token, cleanSession: false);
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        var desired = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        second.ApplicationMessageReceivedAsync += e =>
        {
            desired.TrySetResult(e.ApplicationMessage.Topic);
            return Task.CompletedTask;
        };
        var connected2 = await events.WaitForAsync(e => e.DeviceId == device.DeviceId && e.Kind == DeviceLifecycleKind.Connected && e != connected1);
        Assert.True(connected2.SessionEpoch > connected1.SessionEpoch);

        await Node.Client.Twins.UpdateAsync(device.DeviceId, System.Text.Json.Nodes.JsonNode.Parse("""{"properties":{"desired":{"x":1}}}""")!.AsObject(), cancellationToken: Ct);
        Assert.Equal("$iothub/twin/PATCH/properties/desired/?$version=2", await desired.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        Assert.True(second.IsConnected);
        Assert.Equal(DeviceConnectionState.Connected, (await Node.Client.Devices.GetAsync(device.DeviceId, Ct)).ConnectionState);
        first.Dispose();
        second.Dispose();
    }

    public static TheoryData<string> Endings() => ["disable", "delete", "regenerate keys"];

    [Theory]
    [MemberData(nameof(Endings))]
    public async Task ServiceChange_ClosesTheLiveSession(string change)
    {
        fixture.Node.Logs.Expect("Refused MQTT connect");
        var (device, events, subscription) = await NewDeviceAsync();
        await using var _ = subscription;
        var (client, _) = await ConnectAsync(device);
        var closed = MqttDevice.WhenDisconnected(client);
        var connected = await events.WaitForAsync(e => e.DeviceId == device.DeviceId && e.Kind == DeviceLifecycleKind.Connected);

        switch (change)
        {
            case "disable":
                await Node.Client.Devices.UpdateAsync(device.DeviceId, new DeviceSettings(DeviceStatus.Disabled), cancellationToken: Ct);
                break;
            case "delete":
                await Node.Client.Devices.DeleteAsync(device.DeviceId, cancellationToken: Ct);
                break;
            default:
                var rekeyed = new DeviceAuthentication(DeviceAuthenticationType.Sas, DeviceFabric.Security.SymmetricKeys.Generate(), DeviceFabric.Security.SymmetricKeys.Generate());
                await Node.Client.Devices.UpdateAsync(device.DeviceId, new DeviceSettings(Authentication: rekeyed), cancellationToken: Ct);
                break;
        }

        // The grain detaches the session before the call returns; the socket closes right after.
        var ended = await events.WaitForAsync(e => e.DeviceId == device.DeviceId && e.Kind == DeviceLifecycleKind.Disconnected);
        Assert.Equal(connected.SessionEpoch, ended.SessionEpoch);
        await closed.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        var (again, result) = await ConnectAsync(device);
        again.Dispose();
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, result.ResultCode);
        Assert.Single(events.Seen, e => e.DeviceId == device.DeviceId && e.Kind == DeviceLifecycleKind.Disconnected);
    }

    [Fact]
    public async Task SilentConnection_IsDroppedAfterOneAndAHalfKeepAlives()
    {
        var (device, events, subscription) = await NewDeviceAsync();
        await using var _ = subscription;

        // A raw MQTT 3.1.1 client that sends CONNECT with a 1 s keep-alive and then never another byte.
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", Node.MqttTlsPort, Ct);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync("localhost");
        await tls.WriteAsync(ConnectPacket(device.DeviceId, MqttDevice.Username(device.DeviceId), MqttDevice.Token(device.DeviceId, device.Authentication.PrimaryKey!), keepAliveSeconds: 1), Ct);
        var connack = new byte[4];
        await tls.ReadExactlyAsync(connack, Ct);
        Assert.Equal([0x20, 0x02, 0x00, 0x00], connack);

        var connected = await events.WaitForAsync(e => e.DeviceId == device.DeviceId && e.Kind == DeviceLifecycleKind.Connected);
        var dropped = await events.WaitForAsync(e => e.DeviceId == device.DeviceId && e.Kind == DeviceLifecycleKind.Disconnected, TimeSpan.FromSeconds(15));
        Assert.Equal("connection lost", dropped.Reason);
        Assert.InRange(dropped.Time - connected.Time, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        Assert.Equal(0, await tls.ReadAsync(new byte[1], Ct));
    }

    [Fact]
    public async Task Activity_IsRecordedOnTheDevice_WithoutChangingItsIdentity()
    {
        var (device, events, subscription) = await NewDeviceAsync();
        await using var __ = subscription;
        var (client, _) = await ConnectAsync(device);

        // The CONNACK goes before the session attaches: the Connected event says it has.
        await events.WaitForAsync(e => e.DeviceId == device.DeviceId && e.Kind == DeviceLifecycleKind.Connected);
        var connectedAt = (await Node.Client.Devices.GetAsync(device.DeviceId, Ct)).LastActivityTime;
        Assert.True(connectedAt > DateTimeOffset.UnixEpoch);

        await client.PublishStringAsync($"devices/{device.DeviceId}/messages/events/", "x", MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: Ct);
        await client.DisconnectAsync(cancellationToken: Ct);
        await events.WaitForAsync(e => e.DeviceId == device.DeviceId && e.Kind == DeviceLifecycleKind.Disconnected);

        var after = await Node.Client.Devices.GetAsync(device.DeviceId, Ct);
        Assert.True(after.LastActivityTime > connectedAt, $"{after.LastActivityTime:O} should follow {connectedAt:O}");
        Assert.Equal(DeviceConnectionState.Disconnected, after.ConnectionState);
        Assert.Equal(device.ETag, after.ETag);
    }

    private static byte[] ConnectPacket(string clientId, string username, string password, ushort keepAliveSeconds)
    {
        var body = new List<byte>();
        body.AddRange(Str("MQTT"));
        body.Add(4);
        body.Add(0b1100_0010);
        body.Add((byte)(keepAliveSeconds >> 8));
        body.Add((byte)keepAliveSeconds);
        body.AddRange(Str(clientId));
        body.AddRange(Str(username));
        body.AddRange(Str(password));
        var packet = new List<byte> { 0x10 };
        for (var length = body.Count; ; )
        {
            var digit = (byte)(length % 128);
            length /= 128;
            packet.Add(length > 0 ? (byte)(digit | 0x80) : digit);
            if (length == 0)
            {
                break;
            }
        }

        packet.AddRange(body);
        return [.. packet];

        static byte[] Str(string s)
        {
            var bytes = Encoding.UTF8.GetBytes(s);
            return [(byte)(bytes.Length >> 8), (byte)bytes.Length, .. bytes];
        }
    }
}
