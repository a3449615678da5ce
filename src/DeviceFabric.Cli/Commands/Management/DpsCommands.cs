using System.CommandLine;

namespace DeviceFabric.Cli.Commands.Management;

/// <summary><c>dps</c>: the provisioning service (DPS's service API), signed with its own connection string (<c>--dps-login</c>).</summary>
internal static class DpsCommands
{
    public static Command Group() => CliCommand.Group("dps", "The device provisioning service: enrollments, enrollment groups and registration records.",
        DpsEnrollmentCommands.Group(), DpsEnrollmentGroupCommands.Group(), DpsRegistrationCommands.Group());
}
