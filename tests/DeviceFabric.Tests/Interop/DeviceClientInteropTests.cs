using System.Globalization;
using System.Text;
using DeviceFabric.Events;
using DeviceFabric.Telemetry;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Interop;

/// <summary>Real third-party device clients against the MQTT front end: the npm Azure IoT device SDK and mosquitto_pub.</summary>
public sealed class DeviceClientInteropTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AzureDeviceSdk_OpensSendsEventsWithPropertiesAndCloses()
    {
        var telemetry = new Recorder<TelemetryMessage>();
        var events = new Recorder<DeviceLifecycleEvent>();
        await using var telemetrySubscription = await Node.Client.Telemetry.SubscribeAsync(telemetry.Add, Ct);
        await using var eventSubscription = await Node.Client.Events.SubscribeAsync(events.Add, Ct);
        var device = await Node.Client.Devices.CreateAsync("node-" + Guid.NewGuid().ToString("N")[..10], cancellationToken: Ct);

        await RunDeviceScriptAsync("device-telemetry.js", device);

        var last = await telemetry.WaitForAsync(m => m.DeviceId == device.DeviceId && m.SystemProperties.GetValueOrDefault("message-id") == "node-2");
        var messages = telemetry.Seen.Where(m => m.DeviceId == device.DeviceId).ToList();
        Assert.Equal(["node-0", "node-1", "node-2"], messages.Select(m => m.SystemProperties["message-id"]));
        Assert.All(messages, m => Assert.Equal("application/json", m.SystemProperties["content-type"]));
        Assert.All(messages, m => Assert.Equal("celsius", m.Properties["unit"]));
        Assert.Equal("2", last.Properties["sequence"]);
        Assert.Equal("""{"temperature":22}""", Encoding.UTF8.GetString(last.Body));

        // One session, opened and closed cleanly; the refused intruder left no trace.
        var disconnected = await events.WaitForAsync(e => e.DeviceId == device.DeviceId && e.Kind == DeviceLifecycleKind.Disconnected);
        Assert.Equal("device disconnected", disconnected.Reason);
        var mine = events.Seen.Where(e => e.DeviceId == device.DeviceId).Select(e => e.Kind).ToList();
        Assert.Equal([DeviceLifecycleKind.Created, DeviceLifecycleKind.Connected, DeviceLifecycleKind.Disconnected], mine);
    }

    [Fact]
    public async Task AzureDeviceSdk_Twin_GetsReportsAndReceivesDesiredPatches()
    {
        var device = await Node.Client.Devices.CreateAsync("nodetwin-" + Guid.NewGuid().ToString("N")[..10], cancellationToken: Ct);
        await RunDeviceScriptAsync("device-twin.js", device);

        var twin = await Node.Client.Twins.GetAsync(device.DeviceId, Ct);
        Assert.Equal("1.0.0", twin["properties"]!["reported"]!["firmware"]!["version"]!.GetValue<string>());
        Assert.Equal(90, twin["properties"]!["reported"]!["battery"]!.GetValue<int>());
        Assert.Equal(30, twin["properties"]!["desired"]!["interval"]!.GetValue<int>());
    }

    [Fact]
    public async Task AzureDeviceSdk_AnswersDirectMethodsCalledThroughRest()
    {
        var device = await Node.Client.Devices.CreateAsync("nodemethod-" + Guid.NewGuid().ToString("N")[..10], cancellationToken: Ct);
        var output = await RunDeviceScriptAsync("device-methods.js", device);
        Assert.Contains("ok - call to the closed device is 404103", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AzureDeviceSdk_ReceivesCloudToDeviceMessagesSentThroughRest()
    {
        var events = new Recorder<DeviceLifecycleEvent>();
        await using var subscription = await Node.Client.Events.SubscribeAsync(events.Add, Ct);
        var device = await Node.Client.Devices.CreateAsync("nodec2d-" + Guid.NewGuid().ToString("N")[..10], cancellationToken: Ct);
        await RunDeviceScriptAsync("device-c2d.js", device);

        // The SDK acknowledged both before it disconnected (MQTT handles a connection's packets in order): nothing waits any more.
        await events.WaitForAsync(e => e.DeviceId == device.DeviceId && e.Kind == DeviceLifecycleKind.Disconnected);
        Assert.Equal(0, (await Node.Client.Devices.GetAsync(device.DeviceId, Ct)).CloudToDeviceMessageCount);
    }

    [Fact]
    public async Task MosquittoPub_PublishesTelemetryOverTls_AndAForgedTokenIsRefused()
    {
        fixture.Node.Logs.Expect("Refused MQTT connect");
        var telemetry = new Recorder<TelemetryMessage>();
        await using var subscription = await Node.Client.Telemetry.SubscribeAsync(telemetry.Add, Ct);
        var device = await Node.Client.Devices.CreateAsync("mosq-" + Guid.NewGuid().ToString("N")[..10], cancellationToken: Ct);

        var (exitCode, output) = await MosquittoPubAsync(device.DeviceId, MqttDevice.Token(device.DeviceId, device.Authentication.PrimaryKey!), "hello from mosquitto");
        Assert.True(exitCode == 0, output);
        var message = await telemetry.WaitForAsync(m => m.DeviceId == device.DeviceId);
        Assert.Equal("hello from mosquitto", Encoding.UTF8.GetString(message.Body));
        Assert.Equal("text/plain", message.SystemProperties["content-type"]);
        Assert.Equal("1", message.Properties["run"]);

        var (refusedCode, refusedOutput) = await MosquittoPubAsync(device.DeviceId, MqttDevice.Token(device.DeviceId, DeviceFabric.Security.SymmetricKeys.Generate()), "forged");
        Assert.True(refusedCode != 0, refusedOutput);
        Assert.Contains("not authori", refusedOutput, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Runs a Node device script for <paramref name="device"/> against the node's MQTT and REST endpoints; fails the test unless it exits 0.</summary>
    private async Task<string> RunDeviceScriptAsync(string script, DeviceFabric.Devices.DeviceIdentity device)
    {
        var (exitCode, output) = await NodeScript.RunAsync(script, new Dictionary<string, string>
        {
            ["DEVICE_CONNECTION_STRING"] = $"HostName=localhost:{Node.MqttTlsPort};DeviceId={device.DeviceId};SharedAccessKey={device.Authentication.PrimaryKey}",
            ["DEVICEFABRIC_CA"] = Node.CaPath,
            ["SERVICE_URL"] = $"https://localhost:{Node.BaseAddress.Port}",
            ["SERVICE_TOKEN"] = await fixture.TokenForAsync("service"),
        }, TimeSpan.FromSeconds(60));
        Assert.True(exitCode == 0, output);
        return output;
    }

    private Task<(int ExitCode, string Output)> MosquittoPubAsync(string deviceId, string password, string body) =>
        ExternalProcess.RunAsync("mosquitto_pub", [
            "-h", "localhost", "-p", Node.MqttTlsPort.ToString(CultureInfo.InvariantCulture), "--cafile", Node.CaPath,
            "-V", "mqttv311", "-q", "1", "-i", deviceId, "-u", MqttDevice.Username(deviceId), "-P", password,
            "-t", $"devices/{deviceId}/messages/events/%24.ct=text%2Fplain&run=1", "-m", body,
        ], null, TimeSpan.FromSeconds(30));
}
