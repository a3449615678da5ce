using System.Diagnostics;
using System.Text.Json.Nodes;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Cli;

/// <summary>
/// Runs the built <c>devicefabric</c> CLI as its own process against a running node, as a user would: it finds the
/// node from the node's data directory (connection strings, CA, endpoints.json), unless the test passes more.
/// </summary>
internal static class CliRunner
{
    private static readonly string s_cli = Path.Combine(AppContext.BaseDirectory, "devicefabric.dll");

    /// <summary>The CLI's exit code, standard output and standard error.</summary>
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
    }

    public static async Task<Result> RunAsync(TestNode node, params string[] arguments) =>
        await RunAsync(node.DataDirectory, EndpointOf(node), arguments);

    /// <summary>Runs the CLI, which must succeed, and returns its standard output as JSON.</summary>
    public static async Task<JsonNode?> JsonAsync(TestNode node, params string[] arguments)
    {
        var result = await RunAsync(node, arguments);
        Assert.True(result.ExitCode == 0, $"devicefabric {string.Join(' ', arguments)} failed: {result}");
        return JsonNode.Parse(result.Output);
    }

    /// <summary>Runs the CLI, which must succeed, and returns its standard output's one line (a connection string, a token).</summary>
    public static async Task<string> LineAsync(TestNode node, params string[] arguments)
    {
        var result = await RunAsync(node, arguments);
        Assert.True(result.ExitCode == 0, $"devicefabric {string.Join(' ', arguments)} failed: {result}");
        return Assert.Single(result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    /// <summary>
    /// Until the node writes <c>endpoints.json</c> in its data directory, the CLI is told where the node listens, as a
    /// user without that file would (<c>$DEVICEFABRIC_ENDPOINT</c>); once it does, the CLI finds the node alone.
    /// </summary>
    private static Dictionary<string, string>? EndpointOf(TestNode node) =>
        File.Exists(Path.Combine(node.DataDirectory, "endpoints.json"))
            ? null
            : new Dictionary<string, string> { ["DEVICEFABRIC_ENDPOINT"] = node.BaseAddress.ToString() };

    /// <summary>Runs the CLI with <paramref name="dataDirectory"/> as its <c>--data</c>, and extra environment variables.</summary>
    public static async Task<Result> RunAsync(string dataDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetTempPath(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add(s_cli);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DEVICEFABRIC_DATA"] = dataDirectory;
        foreach (var name in new[] { "DEVICEFABRIC_CONNECTION_STRING", "DEVICEFABRIC_ENDPOINT", "DEVICEFABRIC_CA", "DEVICEFABRIC_DPS_CONNECTION_STRING" })
        {
            start.Environment.Remove(name);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("the CLI did not start");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"devicefabric {string.Join(' ', arguments)} ran longer than a minute: {await stdout}{await stderr}");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
