using System.CommandLine;
using System.Text.Json.Nodes;

namespace DeviceFabric.Cli.Commands.Hub;

/// <summary><c>twin</c>: device and module twins (<c>/twins/{id}[/modules/{m}]</c>), as <c>az iot hub device-twin</c> and <c>module-twin</c>.</summary>
internal static class TwinCommands
{
    private static readonly CliColumn[] s_columns =
    [
        CliColumn.At("DeviceId", "deviceId"),
        CliColumn.At("ModuleId", "moduleId"),
        CliColumn.At("Status", "status"),
        CliColumn.At("ConnectionState", "connectionState"),
        CliColumn.At("Version", "version"),
        CliColumn.At("Etag", "etag"),
        CliColumn.At("Tags", "tags"),
        CliColumn.At("Desired", "properties.desired"),
    ];

    public static Command Group() => CliCommand.Group("twin", "Reads and changes device and module twins.", Show(), Update(), Replace());

    private static Command Show()
    {
        var device = HubOptions.DeviceId();
        var module = HubOptions.OptionalModuleId();
        return CliCommand.Create("show", "Shows a twin: tags, desired and reported properties.", async (session, ct) =>
        {
            var twin = await session.Hub.GetAsync(HubPaths.Twin(session.Get(device)!, session.Get(module)), ct);
            session.Console.Write(twin, session.Format, s_columns);
            return 0;
        }, device, module);
    }

    private static Command Update()
    {
        var device = HubOptions.DeviceId();
        var module = HubOptions.OptionalModuleId();
        var desired = HubOptions.Text("--desired", "Desired properties to merge, as JSON or @file (null removes one).");
        var tags = HubOptions.Text("--tags", "Tags to merge, as JSON or @file (null removes one).");
        var etag = HubOptions.Etag();
        return CliCommand.Create("update", "Merges tags and desired properties into a twin (PATCH).", async (session, ct) =>
        {
            var patch = new JsonObject();
            if (session.Get(tags) is { } tagsText)
            {
                patch["tags"] = CliJson.Parse(tagsText, "--tags");
            }

            if (session.Get(desired) is { } desiredText)
            {
                patch["properties"] = new JsonObject { ["desired"] = CliJson.Parse(desiredText, "--desired") };
            }

            if (patch.Count == 0)
            {
                throw new CliUsageException("Give --desired, --tags or both.");
            }

            var twin = await session.Hub.PatchAsync(HubPaths.Twin(session.Get(device)!, session.Get(module)), patch, session.Get(etag), ct);
            session.Console.Write(twin, session.Format, s_columns);
            return 0;
        }, device, module, desired, tags, etag);
    }

    private static Command Replace()
    {
        var device = HubOptions.DeviceId();
        var module = HubOptions.OptionalModuleId();
        var json = HubOptions.RequiredText("--json", "The twin's new tags and desired properties, as JSON or @file ({\"tags\":{...},\"properties\":{\"desired\":{...}}}).");
        var etag = HubOptions.Etag();
        return CliCommand.Create("replace", "Replaces a twin's tags and desired properties (PUT).", async (session, ct) =>
        {
            var body = CliJson.Parse(session.Get(json)!, "--json");
            var twin = await session.Hub.PutAsync(HubPaths.Twin(session.Get(device)!, session.Get(module)), body, session.Get(etag), ct);
            session.Console.Write(twin, session.Format, s_columns);
            return 0;
        }, device, module, json, etag);
    }
}
