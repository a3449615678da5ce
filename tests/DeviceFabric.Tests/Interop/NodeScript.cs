using System.Diagnostics;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Interop;

/// <summary>Runs one of the Node.js interop scripts under <c>tests/interop</c> (the unmodified Azure IoT SDKs) to completion.</summary>
internal static class NodeScript
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string script, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var folder = Path.Combine(RepositoryPaths.Root, "tests", "interop");
        if (!Directory.Exists(Path.Combine(folder, "node_modules")))
        {
            ExternalService.Missing("tests/interop/node_modules is missing: run 'npm ci' in tests/interop (.ci/run does).");
        }

        var start = new ProcessStartInfo("node", Path.Combine(folder, script))
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} ran longer than {timeout}: {await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
