using System.CommandLine;

namespace DeviceFabric.Cli.Commands.Management;

/// <summary>
/// <c>update group</c> and <c>update device-class</c>: the groups devices are in (their <c>ADUGroup</c> tag, else
/// <c>Default-{class}</c>) and the device classes their agents report.
/// </summary>
internal static class UpdateGroupCommands
{
    private static readonly CliColumn[] s_groupColumns =
    [
        CliColumn.At("GroupId", "groupId"), CliColumn.At("Type", "groupType"), CliColumn.At("Devices", "deviceCount"),
        CliColumn.At("DeviceClasses", "deviceClassIds"), CliColumn.At("Deployments", "deployments"),
    ];

    private static readonly CliColumn[] s_classColumns =
    [
        CliColumn.At("DeviceClassId", "deviceClassId"), CliColumn.At("Properties", "deviceClassProperties.compatProperties"),
        CliColumn.At("Devices", "deviceCount"),
    ];

    public static Command Group() => CliCommand.Group("group", "Groups of devices with the Device Update agent.",
        ListOf("list", "Lists the groups.", "/management/groups", s_groupColumns),
        ShowOf("show", "Shows a group.", "/management/groups/", ManagementArgs.Required("--group-id", "The group's id.", "-g"), s_groupColumns));

    public static Command DeviceClassGroup() => CliCommand.Group("device-class", "Device classes: the compatibility properties devices' agents report.",
        ListOf("list", "Lists the device classes.", "/management/deviceClasses", s_classColumns),
        ShowOf("show", "Shows a device class.", "/management/deviceClasses/", ManagementArgs.Required("--class-id", "The device class's id.", "--device-class-id"), s_classColumns));

    private static Command ListOf(string name, string description, string path, CliColumn[] columns)
    {
        var args = new UpdateArgs();
        return CliCommand.Create(name, description, async (session, ct) =>
            ManagementArgs.Print(session, ManagementArgs.Value(await session.Hub.GetAsync(args.Base(session) + path, ct).ConfigureAwait(false)), columns), args.All());
    }

    private static Command ShowOf(string name, string description, string path, Option<string> id, CliColumn[] columns)
    {
        var args = new UpdateArgs();
        return CliCommand.Create(name, description, async (session, ct) =>
            ManagementArgs.Print(session, await session.Hub.GetAsync(args.Base(session) + path + ManagementArgs.Segment(session.Get(id)!), ct).ConfigureAwait(false), columns),
            [.. args.All(), id]);
    }
}
