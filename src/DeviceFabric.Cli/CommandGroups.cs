using System.CommandLine;
using DeviceFabric.Cli.Commands;

namespace DeviceFabric.Cli;

/// <summary>Every command group, in the order <c>--help</c> lists them. Each lives in its own file under <c>Commands/</c>.</summary>
internal static class CommandGroups
{
    public static IEnumerable<Command> All() => [.. HubCommands.All(), .. ManagementCommands.All()];
}
