using System.CommandLine;
using System.Text.Json.Nodes;

namespace DeviceFabric.Cli.Commands.Management;

/// <summary>
/// <c>dps registration</c>: the records of devices that registered (<c>/registrations/{id}</c>); the list is a
/// group's members, as DPS lists them.
/// </summary>
internal static class DpsRegistrationCommands
{
    private static readonly CliColumn[] s_columns =
    [
        CliColumn.At("RegistrationId", "registrationId"), CliColumn.At("DeviceId", "deviceId"), CliColumn.At("Status", "status"),
        CliColumn.At("AssignedHub", "assignedHub"), CliColumn.At("Group", "symmetricKey.enrollmentGroupId"), CliColumn.At("Updated", "lastUpdatedDateTimeUtc"),
    ];

    public static Command Group() => CliCommand.Group("registration", "Registration records: where each device was assigned.", List(), Show(), Delete());

    private static Command List()
    {
        var group = ManagementArgs.Required("--enrollment-id", "The enrollment group whose members' records to list.", "--group-id", "--eid");
        var top = ManagementArgs.Optional<int>("--top", "The most records to list.");
        return CliCommand.Create("list", "Lists the registration records of an enrollment group's devices.", async (session, ct) =>
        {
            var path = "/registrations/" + ManagementArgs.Segment(session.Get(group)!) + "/query";
            var all = await ManagementArgs.AllPagesAsync(session.Provisioning, path, new JsonObject { ["query"] = "*" }, session.Get(top), ct).ConfigureAwait(false);
            return ManagementArgs.Print(session, all, s_columns);
        }, group, top);
    }

    private static Command Show()
    {
        var id = RegistrationId();
        return CliCommand.Create("show", "Shows a device's registration record.", async (session, ct) =>
            ManagementArgs.Print(session, await session.Provisioning.GetAsync(Path(session.Get(id)!), ct).ConfigureAwait(false), s_columns), id);
    }

    private static Command Delete()
    {
        var id = RegistrationId();
        var etag = ManagementArgs.ETag();
        return CliCommand.Create("delete", "Deletes a registration record (the device stays in its hub).", async (session, ct) =>
        {
            await session.Provisioning.DeleteAsync(Path(session.Get(id)!), session.Get(etag) ?? "*", ct).ConfigureAwait(false);
            return 0;
        }, id, etag);
    }

    private static Option<string> RegistrationId() => ManagementArgs.Required("--registration-id", "The device's registration id.", "--rid");

    private static string Path(string registrationId) => "/registrations/" + ManagementArgs.Segment(registrationId);
}
