using System.CommandLine;

namespace DeviceFabric.Cli.Commands.Hub;

/// <summary><c>routing</c>: the hub's message routing (endpoints, routes, enrichments), read and replaced whole (<c>/routing</c>).</summary>
internal static class RoutingCommands
{
    private static readonly CliColumn[] s_columns =
    [
        CliColumn.At("Endpoints", "endpoints"),
        CliColumn.At("Routes", "routes"),
        CliColumn.At("Enrichments", "enrichments"),
        CliColumn.At("Etag", "etag"),
    ];

    public static Command Group() => CliCommand.Group("routing", "The hub's message routing.", Show(), Set());

    private static Command Show() => CliCommand.Create("show", "Shows the hub's endpoints, routes and enrichments.", async (session, ct) =>
    {
        session.Console.Write(await session.Hub.GetAsync("/routing", ct), session.Format, s_columns);
        return 0;
    });

    private static Command Set()
    {
        var file = HubOptions.RequiredText("--file", "The routing as JSON, a file's path ({\"endpoints\":[...],\"routes\":[...],\"enrichments\":[...]}).");
        var etag = HubOptions.Etag();
        return CliCommand.Create("set", "Replaces the hub's routing (with --etag, only if it is still that one).", async (session, ct) =>
        {
            var path = session.Get(file)!;
            var body = CliJson.Parse(path.StartsWith('@') ? path : "@" + path, "--file");
            // Without --etag, the file's own etag (as routing show printed it) guards the change; else last writer wins.
            var ifMatch = session.Get(etag) ?? CliJson.At(body, "etag");
            session.Console.Write(await session.Hub.PutAsync("/routing", body, ifMatch, ct), session.Format, s_columns);
            return 0;
        }, file, etag);
    }
}
