using System.CommandLine;
using DeviceFabric.Cli.Commands.Hub;

namespace DeviceFabric.Cli.Commands;

/// <summary>The hub's device-plane groups: identities, twins, methods, messages, events, queries, jobs, tokens.</summary>
internal static class HubCommands
{
    public static IEnumerable<Command> All() =>
    [
        DeviceIdentityCommands.Group(),
        ModuleIdentityCommands.Group(),
        TwinCommands.Group(),
        MethodCommands.DeviceMethod(),
        MethodCommands.ModuleMethod(),
        CloudToDeviceCommands.Group(),
        EventCommands.Monitor(),
        EventCommands.Events(),
        EventCommands.ConsumerGroup(),
        QueryCommands.Command(),
        JobCommands.Group(),
        SasTokenCommands.Command(),
        PolicyCommands.Group(),
        CertificateCommands.Group(),
        RoutingCommands.Group(),
        AlertCommands.Group(),
        SecurityCommands.Group(),
        TransferCommands.Group(),
    ];
}
