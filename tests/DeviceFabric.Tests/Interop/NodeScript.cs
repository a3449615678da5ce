using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Interop;

/// <summary>Runs one of the Node.js interop scripts under <c>tests/interop</c> (the unmodified Azure IoT SDKs) to completion.</summary>
internal static class NodeScript
{
    public static Task<(int ExitCode, string Output)> RunAsync(string script, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var folder = Path.Combine(RepositoryPaths.Root, "tests", "interop");
        if (!Directory.Exists(Path.Combine(folder, "node_modules")))
        {
            ExternalService.Missing("tests/interop/node_modules is missing: run 'npm ci' in tests/interop (.ci/run does).");
        }

        return ExternalProcess.RunAsync("node", [Path.Combine(folder, script)], environment, timeout);
    }
}
