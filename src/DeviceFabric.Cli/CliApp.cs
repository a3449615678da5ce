using System.CommandLine;

namespace DeviceFabric.Cli;

/// <summary>
/// The command tree, shaped like <c>az iot hub</c>'s: one group per capability, each built by its own class in
/// <c>Commands/</c>. Every command shares the global options of <see cref="CliGlobals"/>.
/// </summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        // "@file" is how az takes JSON from a file (--content @manifest.json): the commands read it, so it is no response file.
        var parse = Build().Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count == 0)
        {
            return await parse.InvokeAsync().ConfigureAwait(false);
        }

        // A command line that does not parse is bad usage, as every other refusal before a call: exit 2, never 1.
        foreach (var error in parse.Errors)
        {
            CliConsole.System.Refused("BadUsage", error.Message);
        }

        await CliConsole.System.Error.WriteLineAsync("Run with --help for the commands and their options.").ConfigureAwait(false);
        return CliCommand.BadUsage;
    }

    public static RootCommand Build()
    {
        var root = new RootCommand("DeviceFabric's command line: manage a fleet's devices, twins, messages, jobs, provisioning, configurations, updates and digital twins.");
        foreach (var option in CliGlobals.All)
        {
            root.Options.Add(option);
        }

        foreach (var command in CommandGroups.All())
        {
            root.Subcommands.Add(command);
        }

        return root;
    }
}
