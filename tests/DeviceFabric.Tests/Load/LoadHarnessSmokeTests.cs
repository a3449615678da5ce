using System.Globalization;
using DeviceFabric.LoadTest;
using DeviceFabric.Tests.Api;

namespace DeviceFabric.Tests.Load;

/// <summary>The load harness in smoke mode (a few devices, a few seconds) so it keeps working; real runs are run-load.sh's.</summary>
public sealed class LoadHarnessSmokeTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    [Theory]
    [InlineData("connect")]
    [InlineData("telemetry")]
    [InlineData("reported")]
    [InlineData("desired")]
    [InlineData("methods")]
    [InlineData("c2d")]
    [InlineData("job")]
    public async Task Scenario_RunsWithoutErrors(string scenario)
    {
        var options = LoadOptions.Parse([
            scenario, "--devices", "4", "--messages", "5", "--seconds", "20",
            "--mqtt-port", fixture.Node.MqttTlsPort.ToString(CultureInfo.InvariantCulture),
            "--https-port", fixture.Node.BaseAddress.Port.ToString(CultureInfo.InvariantCulture),
            "--data", fixture.Node.DataDirectory, "--prefix", "smoke-" + scenario,
        ]);
        using var fabric = new FabricConnection(options);
        var result = await new Scenarios(options, fabric, _ => { }).RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, result.Errors);
        Assert.Equal(scenario switch { "connect" or "job" => 4, _ => 20 }, result.Operations);
        Assert.True(scenario == "job" ? result.MaxMs > 0 : result.P50Ms > 0);
        Assert.Contains($"| {scenario} | fabric | 4 |", result.MarkdownRow, StringComparison.Ordinal);
    }
}
