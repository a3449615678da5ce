using System.Globalization;
using System.Text.Json.Nodes;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Cli;

/// <summary>
/// The node each management CLI test class shares (<c>dps</c>, <c>configuration</c>, <c>edge</c>, <c>update</c>,
/// <c>dt</c>), and what those tests share: ids, temporary files, runs expected to succeed or be refused.
/// </summary>
public sealed class ManagementCliFixture : IAsyncLifetime
{
    internal TestNode Node { get; private set; } = null!;

    /// <summary>Temporary files the tests write (manifests, models); deleted with the fixture.</summary>
    internal string Files { get; } = Path.Combine(Path.GetTempPath(), "devicefabric-cli-tests", Guid.NewGuid().ToString("N"));

    public async ValueTask InitializeAsync()
    {
        Node = await TestNode.StartAsync();
        Directory.CreateDirectory(Files);
        WriteEndpointsUnlessTheNodeDid();
    }

    public async ValueTask DisposeAsync()
    {
        await Node.DisposeAsync();
        Directory.Delete(Files, recursive: true);
    }

    /// <summary>Runs the CLI, which must succeed, and returns its JSON output.</summary>
    internal async Task<JsonNode> JsonAsync(params string[] arguments) =>
        await CliRunner.JsonAsync(Node, arguments) ?? throw new InvalidOperationException($"devicefabric {string.Join(' ', arguments)} printed null");

    /// <summary>Runs the CLI with <c>--output table</c>, which must succeed, and returns the table.</summary>
    internal async Task<string> TableAsync(params string[] arguments)
    {
        var result = await CliRunner.RunAsync(Node, [.. arguments, "--output", "table"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Output;
    }

    /// <summary>Runs the CLI, which must exit 0 (commands that print nothing: deletes).</summary>
    internal async Task SucceedsAsync(params string[] arguments)
    {
        var result = await CliRunner.RunAsync(Node, arguments);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    /// <summary>Runs the CLI, which the node must refuse (exit 1) with <paramref name="code"/> as the error's code.</summary>
    internal async Task<CliRunner.Result> RefusedAsync(string code, params string[] arguments)
    {
        var result = await CliRunner.RunAsync(Node, arguments);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith($"error: {code}: ", result.Error, StringComparison.Ordinal);
        return result;
    }

    /// <summary>Writes <paramref name="text"/> to a new file and returns its path.</summary>
    internal string WriteFile(string name, string text)
    {
        var directory = Path.Combine(Files, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    internal static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 11)];

    /// <summary>
    /// The CLI finds the hub and the digital twins listener in the node's endpoints.json; a node that does not write it
    /// yet gets one here, with the addresses the test node listens on.
    /// </summary>
    private void WriteEndpointsUnlessTheNodeDid()
    {
        var path = Path.Combine(Node.DataDirectory, "endpoints.json");
        if (File.Exists(path))
        {
            return;
        }

        var endpoints = new JsonObject
        {
            ["https"] = Node.BaseAddress.ToString(),
            ["digitalTwins"] = string.Create(CultureInfo.InvariantCulture, $"https://127.0.0.1:{Node.DigitalTwinsPort}"),
            ["portal"] = null,
            ["mqttTlsPort"] = Node.MqttTlsPort,
        };
        File.WriteAllText(path, endpoints.ToJsonString());
    }
}
