using System.CommandLine;

namespace DeviceFabric.Cli.Commands.Management;

/// <summary>
/// <c>dt twin relationship</c>: a twin's relationships (<c>/digitaltwins/{id}/relationships/{relId}</c>), each
/// validated against the source's model and the target's.
/// </summary>
internal static class DigitalTwinRelationshipCommands
{
    private static readonly CliColumn[] s_columns =
    [
        CliColumn.At("RelationshipId", "$relationshipId"), CliColumn.At("Source", "$sourceId"), CliColumn.At("Name", "$relationshipName"), CliColumn.At("Target", "$targetId"),
    ];

    public static Command Group() => CliCommand.Group("relationship", "Relationships between digital twins.", Create(), List(), Show(), Update(), Delete());

    private static Command Create()
    {
        var source = DigitalTwinCommands.TwinId();
        var id = RelationshipId();
        var name = ManagementArgs.Required("--relationship", "The relationship of the source's model (contains).", "--kind");
        var target = ManagementArgs.Required("--target", "The target twin's id.", "--target-id", "-t");
        var properties = ManagementArgs.Optional("--properties", "The relationship's properties: JSON or @file.", "-p");
        return CliCommand.Create("create", "Creates (or replaces) a relationship from a twin to another.", async (session, ct) =>
        {
            var relationship = session.Get(properties) is { } text ? ManagementArgs.Object(text, "--properties") : [];
            relationship["$targetId"] = session.Get(target);
            relationship["$relationshipName"] = session.Get(name);
            var created = await session.DigitalTwins.PutAsync(Path(session.Get(source)!, session.Get(id)!), relationship, cancellationToken: ct).ConfigureAwait(false);
            return ManagementArgs.Print(session, created, s_columns);
        }, source, id, name, target, properties);
    }

    private static Command List()
    {
        var source = DigitalTwinCommands.TwinId();
        var name = ManagementArgs.Optional("--relationship", "Only relationships of this name.", "--kind");
        var incoming = new Option<bool>("--incoming") { Description = "The relationships to the twin instead of from it." };
        return CliCommand.Create("list", "Lists a twin's relationships, outgoing or incoming.", async (session, ct) =>
        {
            var path = DigitalTwinCommands.TwinPath(session.Get(source)!) + (session.Get(incoming) ? "/incomingrelationships" : "/relationships");
            if (!session.Get(incoming) && session.Get(name) is { } relationshipName)
            {
                path += "?relationshipName=" + Uri.EscapeDataString(relationshipName);
            }

            return ManagementArgs.Print(session, ManagementArgs.Value(await session.DigitalTwins.GetAsync(path, ct).ConfigureAwait(false)), s_columns);
        }, source, name, incoming);
    }

    private static Command Show()
    {
        var source = DigitalTwinCommands.TwinId();
        var id = RelationshipId();
        return CliCommand.Create("show", "Shows a relationship.", async (session, ct) =>
            ManagementArgs.Print(session, await session.DigitalTwins.GetAsync(Path(session.Get(source)!, session.Get(id)!), ct).ConfigureAwait(false), s_columns), source, id);
    }

    private static Command Update()
    {
        var source = DigitalTwinCommands.TwinId();
        var id = RelationshipId();
        var patch = ManagementArgs.Required("--json-patch", "A JSON Patch of the relationship's properties: JSON or @file.", "--patch");
        var etag = DigitalTwinCommands.ETag();
        return CliCommand.Create("update", "Changes a relationship's properties with a JSON Patch; prints it as it is now.", async (session, ct) =>
        {
            var path = Path(session.Get(source)!, session.Get(id)!);
            await DigitalTwinCommands.PatchAsync(session, path, session.Get(patch)!, session.Get(etag), ct).ConfigureAwait(false);
            return ManagementArgs.Print(session, await session.DigitalTwins.GetAsync(path, ct).ConfigureAwait(false), s_columns);
        }, source, id, patch, etag);
    }

    private static Command Delete()
    {
        var source = DigitalTwinCommands.TwinId();
        var id = RelationshipId();
        var etag = DigitalTwinCommands.ETag();
        return CliCommand.Create("delete", "Deletes a relationship.", async (session, ct) =>
        {
            await session.DigitalTwins.DeleteAsync(Path(session.Get(source)!, session.Get(id)!), DigitalTwinCommands.IfMatch(session.Get(etag)) ?? "*", ct).ConfigureAwait(false);
            return 0;
        }, source, id, etag);
    }

    private static Option<string> RelationshipId() => ManagementArgs.Required("--relationship-id", "The relationship's id.", "-r");

    private static string Path(string source, string id) => DigitalTwinCommands.TwinPath(source) + "/relationships/" + ManagementArgs.Segment(id);
}
