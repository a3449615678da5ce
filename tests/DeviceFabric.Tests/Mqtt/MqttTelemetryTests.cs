using System.Text;
using DeviceFabric.Devices;
using DeviceFabric.Telemetry;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Protocol;

namespace DeviceFabric.Tests.Mqtt;

/// <summary>Telemetry reaches backend subscribers with IoT Hub's properties; a device touches only its own topics.</summary>
public sealed class MqttTelemetryTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(DeviceIdentity Device, IMqttClient Client)> ConnectNewDeviceAsync()
    {
        var device = await Node.Client.Devices.CreateAsync("tel-" + Guid.NewGuid().ToString("N")[..12], cancellationToken: Ct);
        var (client, result) = await MqttDevice.ConnectAsync(Node, device.DeviceId, MqttDevice.Token(device.DeviceId, device.Authentication.PrimaryKey!));
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        return (device, client);
    }

    [Theory]
    [InlineData(MqttQualityOfServiceLevel.AtMostOnce)]
    [InlineData(MqttQualityOfServiceLevel.AtLeastOnce)]
    public async Task Telemetry_ReachesTheBackend_WithSystemAndApplicationProperties(MqttQualityOfServiceLevel qos)
    {
        var received = new Recorder<TelemetryMessage>();
        await using var subscription = await Node.Client.Telemetry.SubscribeAsync(received.Add, Ct);
        var (device, client) = await ConnectNewDeviceAsync();
        using var _ = client;

        var topic = $"devices/{device.DeviceId}/messages/events/%24.mid=m-1&%24.ct=application%2Fjson&%24.ce=utf-8&temp%20unit=celsius%2Fdeg&flag=";
        var result = await client.PublishStringAsync(topic, """{"t":21.5}""", qos, cancellationToken: Ct);
        Assert.True(result.IsSuccess);

        var message = await received.WaitForAsync(m => m.DeviceId == device.DeviceId);
        Assert.Equal("""{"t":21.5}""", Encoding.UTF8.GetString(message.Body));
        Assert.Equal("m-1", message.SystemProperties["message-id"]);
        Assert.Equal("application/json", message.SystemProperties["content-type"]);
        Assert.Equal("utf-8", message.SystemProperties["content-encoding"]);
        Assert.Equal(device.DeviceId, message.SystemProperties["iothub-connection-device-id"]);
        Assert.Equal(device.GenerationId, message.SystemProperties["iothub-connection-auth-generation-id"]);
        Assert.Equal("celsius/deg", message.Properties["temp unit"]);
        Assert.Equal(string.Empty, message.Properties["flag"]);
        Assert.InRange(message.EnqueuedTime, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task MessageJustUnderTheLimit_ArrivesWhole_OverTlsAndWebSockets(bool webSocket)
    {
        var received = new Recorder<TelemetryMessage>();
        await using var subscription = await Node.Client.Telemetry.SubscribeAsync(received.Add, Ct);
        var device = await Node.Client.Devices.CreateAsync("big-" + Guid.NewGuid().ToString("N")[..10], cancellationToken: Ct);
        var (client, _) = await MqttDevice.ConnectAsync(Node, device.DeviceId, MqttDevice.Token(device.DeviceId, device.Authentication.PrimaryKey!), webSocket: webSocket);
        using var _ = client;
        var topic = $"devices/{device.DeviceId}/messages/events/";
        var body = new byte[(256 * 1024) - topic.Length];
        Random.Shared.NextBytes(body);

        var result = await client.PublishBinaryAsync(topic, body, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: Ct);

        Assert.True(result.IsSuccess);
        Assert.Equal(body, (await received.WaitForAsync(m => m.DeviceId == device.DeviceId)).Body);
    }

    [Fact]
    public async Task Telemetry_OfOneDevice_ArrivesInOrder()
    {
        var received = new Recorder<TelemetryMessage>();
        await using var subscription = await Node.Client.Telemetry.SubscribeAsync(received.Add, Ct);
        var (device, client) = await ConnectNewDeviceAsync();
        using var _ = client;

        for (var i = 0; i < 50; i++)
        {
            await client.PublishStringAsync($"devices/{device.DeviceId}/messages/events/", i.ToString(System.Globalization.CultureInfo.InvariantCulture), MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: Ct);
        }

        await received.WaitForAsync(m => m.DeviceId == device.DeviceId && Encoding.UTF8.GetString(m.Body) == "49");
        var bodies = received.Seen.Where(m => m.DeviceId == device.DeviceId).Select(m => int.Parse(Encoding.UTF8.GetString(m.Body), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Enumerable.Range(0, 50), bodies);
    }

    [Theory]
    [InlineData("devices/{other}/messages/events/")]
    [InlineData("devices/{self}/messages/devicebound/")]
    [InlineData("some/random/topic")]
    [InlineData("devices/{self}/messages/events/a=1/extra")]
    public async Task PublishOutsideOwnTopics_ClosesThatConnection_AndLeavesOthersAlone(string template)
    {
        fixture.Node.Logs.Expect("Refused devicefabric/");
        var received = new Recorder<TelemetryMessage>();
        await using var subscription = await Node.Client.Telemetry.SubscribeAsync(received.Add, Ct);
        var (victim, victimClient) = await ConnectNewDeviceAsync();
        var (attacker, attackerClient) = await ConnectNewDeviceAsync();
        using var _ = victimClient;
        using var __ = attackerClient;
        var closed = MqttDevice.WhenDisconnected(attackerClient);

        var topic = template.Replace("{other}", victim.DeviceId, StringComparison.Ordinal).Replace("{self}", attacker.DeviceId, StringComparison.Ordinal);
        try
        {
            await attackerClient.PublishStringAsync(topic, "forged", MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: Ct);
        }
        catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
        {
            // The server closed the connection before acknowledging: what IoT Hub does.
        }

        await closed.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.True(victimClient.IsConnected);
        await victimClient.PublishStringAsync($"devices/{victim.DeviceId}/messages/events/", "genuine", MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: Ct);
        var genuine = await received.WaitForAsync(m => m.DeviceId == victim.DeviceId);
        Assert.Equal("genuine", Encoding.UTF8.GetString(genuine.Body));
        Assert.DoesNotContain(received.Seen, m => Encoding.UTF8.GetString(m.Body) == "forged");
        Assert.Equal(DeviceConnectionState.Connected, (await Node.Client.Devices.GetAsync(victim.DeviceId, Ct)).ConnectionState);
    }

    [Fact]
    public async Task Subscribe_OwnTopicsGranted_OthersRefused()
    {
        fixture.Node.Logs.Expect("Refused devicefabric/");
        var (device, client) = await ConnectNewDeviceAsync();
        using var _ = client;
        var options = new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter($"devices/{device.DeviceId}/messages/devicebound/#", MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter("$iothub/twin/res/#", MqttQualityOfServiceLevel.ExactlyOnce)
            .WithTopicFilter("$iothub/methods/POST/#")
            .WithTopicFilter("devices/someone-else/messages/devicebound/#", MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter("#")
            .Build();

        var result = await client.SubscribeAsync(options, Ct);
        var codes = result.Items.Select(i => i.ResultCode).ToList();
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, codes[0]);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, codes[1]);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS0, codes[2]);
        Assert.Equal(MqttClientSubscribeResultCode.UnspecifiedError, codes[3]);
        Assert.Equal(MqttClientSubscribeResultCode.UnspecifiedError, codes[4]);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task OversizedMessage_ClosesTheConnection_AndIsNotDelivered()
    {
        fixture.Node.Logs.Expect("Refused devicefabric/");
        var received = new Recorder<TelemetryMessage>();
        await using var subscription = await Node.Client.Telemetry.SubscribeAsync(received.Add, Ct);
        var (device, client) = await ConnectNewDeviceAsync();
        using var _ = client;
        var closed = MqttDevice.WhenDisconnected(client);

        try
        {
            await client.PublishBinaryAsync($"devices/{device.DeviceId}/messages/events/", new byte[256 * 1024 + 1], MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: Ct);
        }
        catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
        {
        }

        await closed.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var (again, _) = await MqttDevice.ConnectAsync(Node, device.DeviceId, MqttDevice.Token(device.DeviceId, device.Authentication.PrimaryKey!));
        using var ___ = again;
        await again.PublishBinaryAsync($"devices/{device.DeviceId}/messages/events/", new byte[256 * 1024 - 100], MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: Ct);
        var largest = await received.WaitForAsync(m => m.DeviceId == device.DeviceId);
        Assert.Equal(256 * 1024 - 100, largest.Body.Length);
        Assert.Single(received.Seen, m => m.DeviceId == device.DeviceId);
    }
}
