using System.CommandLine;
using DeviceFabric.Cli.Commands.Management;

namespace DeviceFabric.Cli.Commands;

/// <summary>The management groups: provisioning, configurations and deployments, updates, digital twins.</summary>
internal static class ManagementCommands
{
    public static IEnumerable<Command> All() =>
    [
        DpsCommands.Group(), ConfigurationCommands.Group(), EdgeCommands.Group(), UpdateCommands.Group(), DigitalTwinCommands.Group(),
    ];
}
