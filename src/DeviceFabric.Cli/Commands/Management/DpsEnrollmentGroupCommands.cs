using System.CommandLine;
using System.Text.Json.Nodes;
using DeviceFabric.Provisioning;

namespace DeviceFabric.Cli.Commands.Management;

/// <summary>
/// <c>dps enrollment-group</c>: enrollment groups (<c>/enrollmentGroups/{id}</c>), and <c>compute-device-key</c>, a
/// member's key derived from the group key exactly as DPS and <c>az</c> derive it.
/// </summary>
internal static class DpsEnrollmentGroupCommands
{
    private static readonly CliColumn[] s_columns =
    [
        CliColumn.At("EnrollmentGroupId", "enrollmentGroupId"), CliColumn.At("Attestation", "attestation.type"), CliColumn.At("Status", "provisioningStatus"),
        CliColumn.At("Allocation", "allocationPolicy"), CliColumn.At("IotHubs", "iotHubs"), CliColumn.At("Edge", "capabilities.iotEdge"),
    ];

    public static Command Group() => CliCommand.Group("enrollment-group", "Enrollment groups: many devices under one symmetric key or signing certificate.",
        Create(), List(), Show(), Update(), Delete(), ComputeDeviceKey());

    private static Command Create()
    {
        var id = GroupId();
        var settings = new EnrollmentSettings(group: true);
        var showKeys = DpsEnrollmentCommands.ShowKeys();
        return CliCommand.Create("create", "Creates an enrollment group (a symmetric key one by default; keys left out are generated).", async (session, ct) =>
        {
            var groupId = session.Get(id)!;
            var group = new JsonObject { ["enrollmentGroupId"] = groupId };
            settings.ApplyTo(group, session, creating: true);
            var stored = await session.Provisioning.PutAsync(Path(groupId), group, cancellationToken: ct).ConfigureAwait(false);
            return ManagementArgs.Print(session, DpsKeys.Shown(stored, session.Get(showKeys)), s_columns);
        }, [id, .. settings.All, showKeys]);
    }

    private static Command List()
    {
        var top = ManagementArgs.Optional<int>("--top", "The most groups to list.");
        var showKeys = DpsEnrollmentCommands.ShowKeys();
        return CliCommand.Create("list", "Lists the enrollment groups.", async (session, ct) =>
        {
            var all = await ManagementArgs.AllPagesAsync(session.Provisioning, "/enrollmentGroups/query", new JsonObject { ["query"] = "*" }, session.Get(top), ct).ConfigureAwait(false);
            return ManagementArgs.Print(session, DpsKeys.Shown(all, session.Get(showKeys)), s_columns);
        }, top, showKeys);
    }

    private static Command Show()
    {
        var id = GroupId();
        var showKeys = DpsEnrollmentCommands.ShowKeys();
        return CliCommand.Create("show", "Shows an enrollment group.", async (session, ct) =>
        {
            var group = await session.Provisioning.GetAsync(Path(session.Get(id)!), ct).ConfigureAwait(false);
            return ManagementArgs.Print(session, DpsKeys.Shown(group, session.Get(showKeys)), s_columns);
        }, id, showKeys);
    }

    private static Command Update()
    {
        var id = GroupId();
        var settings = new EnrollmentSettings(group: true);
        var etag = ManagementArgs.ETag();
        var showKeys = DpsEnrollmentCommands.ShowKeys();
        return CliCommand.Create("update", "Changes what is given of an enrollment group; the rest stays.", async (session, ct) =>
        {
            var path = Path(session.Get(id)!);
            var group = (JsonObject)(await session.Provisioning.GetAsync(path, ct).ConfigureAwait(false))!;
            var stored = group["etag"]?.ToString();
            settings.ApplyTo(group, session, creating: false);
            var updated = await session.Provisioning.PutAsync(path, group, session.Get(etag) ?? stored, ct).ConfigureAwait(false);
            return ManagementArgs.Print(session, DpsKeys.Shown(updated, session.Get(showKeys)), s_columns);
        }, [id, .. settings.All, etag, showKeys]);
    }

    private static Command Delete()
    {
        var id = GroupId();
        var etag = ManagementArgs.ETag();
        return CliCommand.Create("delete", "Deletes an enrollment group (its devices stay in their hubs).", async (session, ct) =>
        {
            await session.Provisioning.DeleteAsync(Path(session.Get(id)!), session.Get(etag) ?? "*", ct).ConfigureAwait(false);
            return 0;
        }, id, etag);
    }

    private static Command ComputeDeviceKey()
    {
        var registrationId = ManagementArgs.Required("--registration-id", "The device's registration id.", "--rid");
        var key = ManagementArgs.Optional("--key", "The group's symmetric key (base64).", "--symmetric-key");
        var id = ManagementArgs.Optional("--enrollment-id", "The group whose primary key to derive from (read from the service).", "--group-id", "--eid");
        return CliCommand.Create("compute-device-key", "Prints a member device's key: base64 of HMAC-SHA256 of its registration id, keyed with the group key.", async (session, ct) =>
        {
            var groupKey = session.Get(key) ?? await GroupKeyAsync(session, session.Get(id), ct).ConfigureAwait(false);
            string deviceKey;
            try
            {
                deviceKey = ProvisioningKeys.Derive(groupKey, session.Get(registrationId)!);
            }
            catch (FormatException)
            {
                throw new CliUsageException("--key is not base64.");
            }

            return ManagementArgs.Print(session, JsonValue.Create(deviceKey), new CliColumn("DeviceKey", row => row?.ToString()));
        }, registrationId, key, id);
    }

    private static async Task<string> GroupKeyAsync(CliSession session, string? groupId, CancellationToken ct)
    {
        if (groupId is null)
        {
            throw new CliUsageException("Pass --key (the group key) or --enrollment-id (a symmetric key group of the service).");
        }

        var attestation = await session.Provisioning.PostAsync(Path(groupId) + "/attestationmechanism", null, ct).ConfigureAwait(false);
        return attestation?["symmetricKey"]?["primaryKey"]?.ToString()
            ?? throw new CliUsageException($"The enrollment group {groupId} does not attest with a symmetric key.");
    }

    private static Option<string> GroupId() => ManagementArgs.Required("--enrollment-id", "The enrollment group's id.", "--group-id", "--eid");

    private static string Path(string groupId) => "/enrollmentGroups/" + ManagementArgs.Segment(groupId);
}
