using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Interop;

/// <summary>
/// Modules, automatic device configurations and IoT Edge deployments through the unmodified npm SDKs: the device SDK's
/// <c>ModuleClient</c> over MQTT and TLS, and <c>azure-iothub</c>'s <c>Registry</c> and <c>Client</c> over HTTPS on 443.
/// </summary>
[Collection(Port443Collection.Name)]
public sealed class DeploymentInteropTests
{
    [Fact]
    public async Task ModuleClientAndModuleRegistry_WorkUnchanged()
    {
        // The script also shows that a module client with a wrong key is refused.
        var output = await RunAsync("modules.js", TimeSpan.FromSeconds(100), expectedLog: "Refused MQTT connect");
        Assert.Contains("ok - module method invoked through the service SDK", output, StringComparison.Ordinal);
        Assert.Contains("ok - deleting the device deleted its modules", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configurations_KeepTwentyTaggedDevicesInStep_ThroughTheServiceSdk()
    {
        var output = await RunAsync("configurations.js", TimeSpan.FromSeconds(250));
        Assert.Contains("ok - appliedCount reaches 20", output, StringComparison.Ordinal);
        Assert.Contains("ok - retagged devices fall out", output, StringComparison.Ordinal);
        Assert.Contains("ok - higher priority wins per path", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EdgeDeployment_ReachesTheAgentTwin_AndItsCountsFollowTheAgent()
    {
        var output = await RunAsync("edge-deployment.js", TimeSpan.FromSeconds(160));
        Assert.Contains("ok - deployment reaches the edge agent twin", output, StringComparison.Ordinal);
        Assert.Contains("ok - reportedSuccessfulCount follows the agent", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeviceUpdate_RollsOutInWaves_RollsBackAFailingUpdate_AndCancels_WithAgentsOnTheDeviceSdk()
    {
        var output = await RunAsync("device-update.js", TimeSpan.FromSeconds(320));
        Assert.Contains("ok - the first wave all succeeded before the second started", output, StringComparison.Ordinal);
        Assert.Contains("ok - the incompatible agent was left alone", output, StringComparison.Ordinal);
        Assert.Contains("ok - a failing deployment rolls back by itself", output, StringComparison.Ordinal);
        Assert.Contains("ok - a canceled deployment cancels its agents", output, StringComparison.Ordinal);
    }

    private static async Task<string> RunAsync(string script, TimeSpan timeout, string? expectedLog = null)
    {
        // Counts are recomputed every second here, so the scripts see them follow within their polling.
        await using var node = await TestNode.StartAsync(settings: new Dictionary<string, string?>
        {
            ["DeviceFabric:Node:HttpsPort"] = "443",
            ["DeviceFabric:Configurations:MetricsInterval"] = "00:00:01",
            ["DeviceFabric:Updates:StatusInterval"] = "00:00:00.500",
            ["DeviceFabric:Updates:OfflineGrace"] = "00:00:05",
        });
        if (expectedLog is not null)
        {
            node.Logs.Expect(expectedLog);
        }

        var (exitCode, output) = await NodeScript.RunAsync(script, new Dictionary<string, string>
        {
            ["DEVICEFABRIC_CONNECTION_STRING"] = node.OwnerConnectionString,
            ["NODE_EXTRA_CA_CERTS"] = node.CaPath,
            ["DEVICEFABRIC_CA"] = node.CaPath,
            ["MQTT_HOST"] = $"localhost:{node.MqttTlsPort}",
        }, timeout);
        Assert.True(exitCode == 0, output);
        return output;
    }
}
