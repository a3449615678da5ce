using System.Net;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Protocol;

namespace DeviceFabric.Tests.Hostile;

/// <summary>
/// A device or an anonymous client does not choose how much the node logs: thousands of the same bad event make one
/// line (then one a minute with the count), not one each.
/// </summary>
public sealed class LogAmplificationTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TestNode Node => fixture.Node;

    [Fact]
    public async Task ThousandsOfUnknownMethodAnswers_MakeOneLine()
    {
        Node.Logs.Expect("answered unknown or late method request");
        var device = await Node.Client.Devices.CreateAsync("chatty-" + Guid.NewGuid().ToString("N")[..8], cancellationToken: Ct);
        var (client, _) = await MqttDevice.ConnectAsync(Node, device.DeviceId, MqttDevice.Token(device.DeviceId, device.Authentication.PrimaryKey!));
        using var _ = client;
        client.ApplicationMessageReceivedAsync += e => e.ApplicationMessage.Topic.StartsWith("$iothub/methods/POST/", StringComparison.Ordinal)
            ? client.PublishStringAsync($"$iothub/methods/res/200/?$rid={e.ApplicationMessage.Topic.Split("$rid=")[1]}", "{}", cancellationToken: Ct)
            : Task.CompletedTask;
        await client.SubscribeAsync("$iothub/methods/POST/#", MqttQualityOfServiceLevel.AtMostOnce, Ct);

        for (var i = 0; i < 2000; i++)
        {
            await client.PublishStringAsync($"$iothub/methods/res/200/?$rid=nobody-asked-{i}", "{}", cancellationToken: Ct);
        }

        // A real call after them answers only once the grain has gone past the unknown ones.
        var answer = await Node.Client.DirectMethods.InvokeAsync(device.DeviceId, new DeviceFabric.Methods.DirectMethodRequest("ping", "{}", TimeSpan.FromSeconds(30), TimeSpan.Zero), Ct);
        Assert.Equal(200, answer.Status);
        Assert.Single(Node.Logs.Entries, e => e.Message.Contains(device.DeviceId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task HundredsOfFailedLogins_FromOneSource_MakeOneLine()
    {
        Node.Logs.Expect("Refused MQTT connect");
        var source = IPAddress.Parse("127.0.0.9");
        var device = await Node.Client.Devices.CreateAsync("probed-" + Guid.NewGuid().ToString("N")[..8], cancellationToken: Ct);
        var forged = MqttDevice.Token(device.DeviceId, Convert.ToBase64String(new byte[32]));
        for (var i = 0; i < 200; i++)
        {
            var (client, result) = await MqttDevice.ConnectAsync(Node, device.DeviceId, forged, source: source);
            client.Dispose();
            Assert.Equal(MqttClientConnectResultCode.NotAuthorized, result.ResultCode);
        }

        Assert.Single(Node.Logs.Entries, e => e.Message.Contains($"from {source}", StringComparison.Ordinal));
    }
}
