using System.Reflection;
using System.Text.Json.Nodes;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Cli;

/// <summary>
/// The CLI as users get it: <c>dotnet pack</c> makes the .NET tool package, <c>dotnet tool install</c> installs it from
/// that folder alone (a fresh package cache, so no earlier package can stand in), and the installed
/// <c>devicefabric</c> command manages a running node.
/// </summary>
public sealed class ToolPackageTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private static readonly TimeSpan s_step = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task The_packed_tool_installs_and_its_command_creates_a_device()
    {
        var work = Directory.CreateTempSubdirectory("devicefabric-tool-").FullName;
        try
        {
            // Packs what this test run was built with: the test's own configuration, without building again.
            var configuration = typeof(ToolPackageTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            var feed = Path.Combine(work, "feed");
            var project = Path.Combine(RepositoryPaths.Root, "src", "DeviceFabric.Cli");
            var packed = await ExternalProcess.RunAsync("dotnet", ["pack", project, "-c", configuration, "--no-build", "-o", feed, "-v", "q"], null, s_step);
            Assert.True(packed.ExitCode == 0, packed.Output);
            Assert.Single(Directory.GetFiles(feed, "devicefabric.*.nupkg"));

            var tools = Path.Combine(work, "tools");
            var isolated = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(work, "packages"), ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" };
            var installed = await ExternalProcess.RunAsync("dotnet", ["tool", "install", "devicefabric", "--tool-path", tools, "--add-source", feed], isolated, s_step, work);
            Assert.True(installed.ExitCode == 0, installed.Output);
            var command = Path.Combine(tools, OperatingSystem.IsWindows() ? "devicefabric.exe" : "devicefabric");

            var version = await ExternalProcess.RunAsync(command, ["--version"], null, s_step, work);
            Assert.True(version.ExitCode == 0, version.Output);
            Assert.Matches(@"^\d+\.\d+\.\d+", version.Output.Trim());

            var id = $"tool-{Guid.NewGuid():N}"[..20];
            var node = new Dictionary<string, string> { ["DEVICEFABRIC_DATA"] = fixture.Node.DataDirectory, ["DEVICEFABRIC_ENDPOINT"] = fixture.Node.BaseAddress.ToString() };
            var created = await ExternalProcess.RunAsync(command, ["device-identity", "create", "-d", id], node, s_step, work);
            Assert.True(created.ExitCode == 0, created.Output);
            Assert.Equal(id, (string?)JsonNode.Parse(created.Output)!["deviceId"]);
            Assert.Equal(id, (await fixture.Node.Client.Devices.GetAsync(id, TestContext.Current.CancellationToken)).DeviceId);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
