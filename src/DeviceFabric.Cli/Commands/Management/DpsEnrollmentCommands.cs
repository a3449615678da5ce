using System.CommandLine;
using System.Text.Json.Nodes;

namespace DeviceFabric.Cli.Commands.Management;

/// <summary>
/// <c>dps enrollment</c>: individual enrollments (<c>/enrollments/{registrationId}</c>) created, listed, shown, updated
/// and deleted, as <c>az iot dps enrollment</c> does. Symmetric keys are left out of the output unless
/// <c>--show-keys</c> asks for them.
/// </summary>
internal static class DpsEnrollmentCommands
{
    private static readonly CliColumn[] s_columns =
    [
        CliColumn.At("RegistrationId", "registrationId"), CliColumn.At("DeviceId", "deviceId"), CliColumn.At("Attestation", "attestation.type"),
        CliColumn.At("Status", "provisioningStatus"), CliColumn.At("Allocation", "allocationPolicy"), CliColumn.At("Registration", "registrationState.status"),
        CliColumn.At("AssignedHub", "registrationState.assignedHub"),
    ];

    public static Command Group() => CliCommand.Group("enrollment", "Individual enrollments: one device each, by symmetric key or X.509 certificate.",
        Create(), List(), Show(), Update(), Delete());

    private static Command Create()
    {
        var id = RegistrationId();
        var deviceId = ManagementArgs.Optional("--device-id", "The device id in the hub; the registration id when left out.", "-d");
        var settings = new EnrollmentSettings(group: false);
        var showKeys = ShowKeys();
        return CliCommand.Create("create", "Creates an individual enrollment (a symmetric key one by default; keys left out are generated).", async (session, ct) =>
        {
            var registrationId = session.Get(id)!;
            var enrollment = new JsonObject { ["registrationId"] = registrationId };
            if (session.Get(deviceId) is { } device)
            {
                enrollment["deviceId"] = device;
            }

            settings.ApplyTo(enrollment, session, creating: true);
            var stored = await session.Provisioning.PutAsync(Path(registrationId), enrollment, cancellationToken: ct).ConfigureAwait(false);
            return ManagementArgs.Print(session, DpsKeys.Shown(stored, session.Get(showKeys)), s_columns);
        }, [id, deviceId, .. settings.All, showKeys]);
    }

    private static Command List()
    {
        var top = ManagementArgs.Optional<int>("--top", "The most enrollments to list.");
        var showKeys = ShowKeys();
        return CliCommand.Create("list", "Lists the individual enrollments.", async (session, ct) =>
        {
            var all = await ManagementArgs.AllPagesAsync(session.Provisioning, "/enrollments/query", new JsonObject { ["query"] = "*" }, session.Get(top), ct).ConfigureAwait(false);
            return ManagementArgs.Print(session, DpsKeys.Shown(all, session.Get(showKeys)), s_columns);
        }, top, showKeys);
    }

    private static Command Show()
    {
        var id = RegistrationId();
        var showKeys = ShowKeys();
        return CliCommand.Create("show", "Shows an individual enrollment and its registration.", async (session, ct) =>
        {
            var enrollment = await session.Provisioning.GetAsync(Path(session.Get(id)!), ct).ConfigureAwait(false);
            return ManagementArgs.Print(session, DpsKeys.Shown(enrollment, session.Get(showKeys)), s_columns);
        }, id, showKeys);
    }

    private static Command Update()
    {
        var id = RegistrationId();
        var deviceId = ManagementArgs.Optional("--device-id", "The device id in the hub.", "-d");
        var settings = new EnrollmentSettings(group: false);
        var etag = ManagementArgs.ETag();
        var showKeys = ShowKeys();
        return CliCommand.Create("update", "Changes what is given of an individual enrollment; the rest stays.", async (session, ct) =>
        {
            var path = Path(session.Get(id)!);
            var enrollment = (JsonObject)(await session.Provisioning.GetAsync(path, ct).ConfigureAwait(false))!;
            var stored = enrollment["etag"]?.ToString();
            enrollment.Remove("registrationState");
            if (session.Get(deviceId) is { } device)
            {
                enrollment["deviceId"] = device;
            }

            settings.ApplyTo(enrollment, session, creating: false);
            var updated = await session.Provisioning.PutAsync(path, enrollment, session.Get(etag) ?? stored, ct).ConfigureAwait(false);
            return ManagementArgs.Print(session, DpsKeys.Shown(updated, session.Get(showKeys)), s_columns);
        }, [id, deviceId, .. settings.All, etag, showKeys]);
    }

    private static Command Delete()
    {
        var id = RegistrationId();
        var etag = ManagementArgs.ETag();
        return CliCommand.Create("delete", "Deletes an individual enrollment (its device stays in its hub).", async (session, ct) =>
        {
            await session.Provisioning.DeleteAsync(Path(session.Get(id)!), session.Get(etag) ?? "*", ct).ConfigureAwait(false);
            return 0;
        }, id, etag);
    }

    private static Option<string> RegistrationId() => ManagementArgs.Required("--registration-id", "The enrollment's registration id.", "--rid");

    internal static Option<bool> ShowKeys() => new("--show-keys", "--keys") { Description = "Include the symmetric keys in the output." };

    private static string Path(string registrationId) => "/enrollments/" + ManagementArgs.Segment(registrationId);
}

/// <summary>Keeps symmetric keys out of enrollment output unless they were asked for.</summary>
internal static class DpsKeys
{
    public static JsonNode? Shown(JsonNode? result, bool showKeys)
    {
        if (showKeys || result is null)
        {
            return result;
        }

        foreach (var item in result is JsonArray items ? items.ToArray() : [result])
        {
            if (item?["attestation"]?["symmetricKey"] is JsonObject keys)
            {
                keys.Remove("primaryKey");
                keys.Remove("secondaryKey");
            }
        }

        return result;
    }
}
