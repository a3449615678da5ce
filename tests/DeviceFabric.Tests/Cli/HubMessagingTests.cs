using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Protocol;

namespace DeviceFabric.Tests.Cli;

/// <summary>Twins, direct methods, cloud-to-device messages and monitor-events through the CLI, with real MQTT devices.</summary>
public sealed partial class HubMessagingTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(IMqttClient Client, string DeviceId)> ConnectNewDeviceAsync(string prefix)
    {
        var device = await Node.Client.Devices.CreateAsync($"{prefix}-{Guid.NewGuid():N}"[..20], cancellationToken: Ct);
        var (client, result) = await MqttDevice.ConnectAsync(Node, device.DeviceId, MqttDevice.Token(device.DeviceId, device.Authentication.PrimaryKey!));
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        return (client, device.DeviceId);
    }

    [Fact]
    public async Task TwinUpdate_ThenTwinShow_ShowsTheDesiredPropertyAndTag()
    {
        var device = await Node.Client.Devices.CreateAsync($"cli-twin-{Guid.NewGuid():N}"[..20], cancellationToken: Ct);
        var patched = await CliRunner.JsonAsync(Node, "twin", "update", "-d", device.DeviceId, "--desired", """{"mode":"eco","level":3}""", "--tags", """{"site":"lab"}""");
        Assert.Equal("eco", (string?)patched!["properties"]!["desired"]!["mode"]);

        var twin = await CliRunner.JsonAsync(Node, "twin", "show", "-d", device.DeviceId);
        Assert.Equal("eco", (string?)twin!["properties"]!["desired"]!["mode"]);
        Assert.Equal(3, (int)twin["properties"]!["desired"]!["level"]!);
        Assert.Equal("lab", (string?)twin["tags"]!["site"]);

        // A stale etag is refused, as the REST API refuses it.
        var stale = await CliRunner.RunAsync(Node, "twin", "update", "-d", device.DeviceId, "--desired", """{"mode":"off"}""", "--etag", "AAAAAAAAAAE=");
        Assert.Equal(1, stale.ExitCode);
        Assert.Contains("PreconditionFailed", stale.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeDeviceMethod_PrintsTheDevicesStatusAndPayload_AndAnOfflineDeviceExits1()
    {
        var (client, deviceId) = await ConnectNewDeviceAsync("cli-method");
        using var _ = client;
        client.ApplicationMessageReceivedAsync += async e =>
        {
            var match = MethodRequest().Match(e.ApplicationMessage.Topic);
            if (match.Success)
            {
                var body = e.ApplicationMessage.ConvertPayloadToString();
                await client.PublishStringAsync($"$iothub/methods/res/200/?$rid={match.Groups["rid"].Value}", $$"""{"method":"{{match.Groups["name"].Value}}","echo":{{body}}}""", MqttQualityOfServiceLevel.AtMostOnce);
            }
        };
        await client.SubscribeAsync("$iothub/methods/POST/#", MqttQualityOfServiceLevel.AtMostOnce, Ct);

        var answer = await CliRunner.JsonAsync(Node, "invoke-device-method", "-d", deviceId, "--method-name", "reboot", "--method-payload", """{"delay":5}""", "--timeout", "10");
        Assert.Equal(200, (int)answer!["status"]!);
        Assert.Equal("reboot", (string?)answer["payload"]!["method"]);
        Assert.Equal(5, (int)answer["payload"]!["echo"]!["delay"]!);

        var offline = await Node.Client.Devices.CreateAsync($"cli-off-{Guid.NewGuid():N}"[..20], cancellationToken: Ct);
        var refused = await CliRunner.RunAsync(Node, "invoke-device-method", "-d", offline.DeviceId, "--method-name", "reboot");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("DeviceNotOnline", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task C2dMessageSend_IsReceivedByTheDevice_WithItsProperties()
    {
        var (client, deviceId) = await ConnectNewDeviceAsync("cli-c2d");
        using var _ = client;
        var received = new TaskCompletionSource<MqttApplicationMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ApplicationMessageReceivedAsync += e =>
        {
            received.TrySetResult(e.ApplicationMessage);
            return Task.CompletedTask;
        };
        await client.SubscribeAsync($"devices/{deviceId}/messages/devicebound/#", MqttQualityOfServiceLevel.AtLeastOnce, Ct);

        var sent = await CliRunner.JsonAsync(Node, "c2d-message", "send", "-d", deviceId, "--data", "hello device", "--props", "color=blue;size=2", "--message-id", "m-42", "--ack", "full");
        Assert.Equal("m-42", (string?)sent!["messageId"]);

        var message = await received.Task.WaitAsync(TimeSpan.FromSeconds(20), Ct);
        Assert.Equal("hello device", message.ConvertPayloadToString());
        var topic = Uri.UnescapeDataString(message.Topic);
        Assert.Contains("$.mid=m-42", topic, StringComparison.Ordinal);
        Assert.Contains("color=blue", topic, StringComparison.Ordinal);
        Assert.Contains("size=2", topic, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MonitorEvents_PrintsTheTelemetryADeviceSends_WithItsProperties()
    {
        var (client, deviceId) = await ConnectNewDeviceAsync("cli-mon");
        using var _ = client;
        // A second device's telemetry must not pass the -d filter.
        var (other, _) = await ConnectNewDeviceAsync("cli-mon-other");
        using var __ = other;
        var monitor = CliRunner.RunAsync(Node, "monitor-events", "-d", deviceId, "--max-events", "1", "--timeout", "50");

        // The monitor reads from the latest event: the device sends until the monitor has printed one.
        var sent = 0;
        while (!monitor.IsCompleted)
        {
            await other.PublishStringAsync($"devices/{other.Options.ClientId}/messages/events/", """{"temp":-1}""", MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: Ct);
            await client.PublishStringAsync(
                $"devices/{deviceId}/messages/events/%24.ct=application%2Fjson&%24.ce=utf-8&level=high", $$"""{"temp":21,"n":{{++sent}}}""", MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: Ct);
            await Task.WhenAny(monitor, Task.Delay(200, Ct));
        }

        var result = await monitor;
        Assert.True(result.ExitCode == 0, result.ToString());
        var line = JsonNode.Parse(Assert.Single(result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)))!;
        Assert.Equal(deviceId, (string?)line["deviceId"]);
        Assert.Equal(21, (int)line["body"]!["temp"]!);
        Assert.Equal("high", (string?)line["properties"]!["level"]);
        Assert.True(DateTimeOffset.TryParse((string?)line["enqueuedTime"], out var enqueued) && enqueued > DateTimeOffset.UtcNow.AddMinutes(-5), line.ToJsonString());
    }

    [Fact]
    public async Task EventsPartitions_AndConsumerGroupCheckpoints_RoundTrip()
    {
        var partitions = (await CliRunner.JsonAsync(Node, "events", "partitions"))!.AsArray();
        Assert.Equal(8, partitions.Count);

        var group = $"cli-{Guid.NewGuid():N}"[..12];
        await CliRunner.JsonAsync(Node, "consumer-group", "checkpoint", "set", "--consumer-group", group, "--partition", "3", "--offset", "0");
        var checkpoints = (await CliRunner.JsonAsync(Node, "consumer-group", "checkpoint", "show", "--consumer-group", group))!.AsArray();
        Assert.Equal(8, checkpoints.Count);
        Assert.Equal(0, (long)checkpoints.Single(c => (string?)c!["partition"] == "3")!["offset"]!);
        Assert.All(checkpoints.Where(c => (string?)c!["partition"] != "3"), c => Assert.Null(c!["offset"]));
    }

    [GeneratedRegex(@"^\$iothub/methods/POST/(?<name>[^/]+)/\?\$rid=(?<rid>.+)$")]
    private static partial Regex MethodRequest();
}
