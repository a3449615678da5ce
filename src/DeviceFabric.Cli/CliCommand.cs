using System.CommandLine;
using DeviceFabric.RestClient;

namespace DeviceFabric.Cli;

/// <summary>
/// Runs a command's action inside one session and one error translation: a refusal by the node exits 1 with IoT
/// Hub's error code and message, a command line that cannot be carried out exits 2, a node that cannot be reached 3.
/// </summary>
internal static class CliCommand
{
    public const int Refused = 1;
    public const int BadUsage = 2;
    public const int Unreachable = 3;

    /// <summary>Creates a command whose action is <paramref name="action"/>, with its options and arguments.</summary>
    public static Command Create(string name, string description, Func<CliSession, CancellationToken, Task<int>> action, params Symbol[] symbols)
    {
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Option option:
                    command.Options.Add(option);
                    break;
                case Argument argument:
                    command.Arguments.Add(argument);
                    break;
            }
        }

        command.SetAction((parse, cancellationToken) => RunAsync(parse, action, cancellationToken));
        return command;
    }

    /// <summary>A group of commands (<c>device-identity</c>), which does nothing itself.</summary>
    public static Command Group(string name, string description, params Command[] commands)
    {
        var group = new Command(name, description);
        foreach (var command in commands)
        {
            group.Subcommands.Add(command);
        }

        return group;
    }

    private static async Task<int> RunAsync(ParseResult parse, Func<CliSession, CancellationToken, Task<int>> action, CancellationToken cancellationToken)
    {
        var console = CliConsole.System;
        using var session = new CliSession(parse, console);
        try
        {
            return await action(session, cancellationToken).ConfigureAwait(false);
        }
        catch (FabricRestException ex)
        {
            console.Refused(ex.ErrorCode, ex.Message);
            return Refused;
        }
        catch (CliUsageException ex)
        {
            console.Refused("BadUsage", ex.Message);
            return BadUsage;
        }
        catch (HttpRequestException ex)
        {
            console.Refused("Unreachable", $"cannot reach the node: {ex.Message} (is it running? --endpoint and --ca say where and whom to trust)");
            return Unreachable;
        }
    }
}
