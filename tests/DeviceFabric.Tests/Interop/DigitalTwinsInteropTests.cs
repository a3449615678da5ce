using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Interop;

/// <summary>The digital twins API through the unmodified <c>@azure/digital-twins-core</c> SDK, on its own HTTPS listener.</summary>
public sealed class DigitalTwinsInteropTests
{
    [Fact]
    public async Task ModelsTwinsAndRelationships_WorkThroughTheOfficialSdk_AndInvalidWritesAreRefused()
    {
        await using var node = await TestNode.StartAsync();
        var device = await node.Client.Devices.CreateAsync("dt-" + Guid.NewGuid().ToString("N")[..10], cancellationToken: TestContext.Current.CancellationToken);
        var (exitCode, output) = await NodeScript.RunAsync("digital-twins.js", new Dictionary<string, string>
        {
            ["DEVICEFABRIC_CONNECTION_STRING"] = node.OwnerConnectionString,
            ["NODE_EXTRA_CA_CERTS"] = node.CaPath,
            ["DIGITALTWINS_URL"] = $"https://localhost:{node.DigitalTwinsPort}",
            ["DEVICEFABRIC_CA"] = node.CaPath,
            ["DEVICE_CONNECTION_STRING"] = $"HostName=localhost:{node.MqttTlsPort};DeviceId={device.DeviceId};SharedAccessKey={device.Authentication.PrimaryKey}",
        }, TimeSpan.FromSeconds(100));
        Assert.True(exitCode == 0, output);
        Assert.Contains("ok - writes that break the model are refused and change nothing", output, StringComparison.Ordinal);
        Assert.Contains("ok - relationships follow the models", output, StringComparison.Ordinal);
        Assert.Contains("ok - queries: IS_OF_MODEL with paging, COUNT, a two-hop JOIN and MATCH", output, StringComparison.Ordinal);
        Assert.Contains("ok - a device on the npm device SDK keeps its twin through reported properties and telemetry", output, StringComparison.Ordinal);
        Assert.Contains("ok - everything removed", output, StringComparison.Ordinal);
    }
}
