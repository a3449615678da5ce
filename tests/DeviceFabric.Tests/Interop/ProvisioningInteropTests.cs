using DeviceFabric.Telemetry;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Interop;

/// <summary>
/// The npm DPS SDKs, unchanged: the service SDK's enrollments, the device SDK's registration over MQTT (symmetric keys,
/// a group's derived key among them), and the hub device SDK connecting where it was assigned. The service SDK dials
/// port 443, so the node serves HTTPS there.
/// </summary>
[Collection(Port443Collection.Name)]
public sealed class ProvisioningInteropTests
{
    [Fact]
    public async Task DpsSdks_EnrollRegisterAndConnect_Unchanged()
    {
        await using var node = await AzureIotHubRegistryInteropTests.StartOn443Async();
        node.Logs.Expect("Refused MQTT connect");
        var telemetry = new Recorder<TelemetryMessage>();
        await using var subscription = await node.Client.Telemetry.SubscribeAsync(telemetry.Add, TestContext.Current.CancellationToken);
        var group = "node-group-" + Guid.NewGuid().ToString("N")[..8];

        var (exitCode, output) = await NodeScript.RunAsync("provisioning.js", new Dictionary<string, string>
        {
            ["DPS_CONNECTION_STRING"] = await File.ReadAllTextAsync(Path.Combine(node.DataDirectory, "provisioning-connection-string.txt")),
            ["DPS_ID_SCOPE"] = await File.ReadAllTextAsync(Path.Combine(node.DataDirectory, "provisioning-id-scope.txt")),
            ["MQTT_HOST"] = $"localhost:{node.MqttTlsPort}",
            ["NODE_EXTRA_CA_CERTS"] = node.CaPath,
            ["GROUP_ID"] = group,
            ["INDIVIDUAL_ID"] = "node-solo-" + Guid.NewGuid().ToString("N")[..8],
        }, TimeSpan.FromSeconds(90));

        Assert.True(exitCode == 0, output);
        Assert.Contains("ok - a wrong key is refused", output, StringComparison.Ordinal);
        var message = await telemetry.WaitForAsync(m => m.DeviceId == group + "-member");
        Assert.Equal("provisioned-1", message.SystemProperties["message-id"]);
    }
}
