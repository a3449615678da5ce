using System.CommandLine;
using System.Text.Json.Nodes;

namespace DeviceFabric.Cli.Commands.Management;

/// <summary>
/// <c>dt twin</c>: digital twins (<c>/digitaltwins/{id}</c>) created with their model, shown, changed by JSON Patch,
/// deleted and queried; their relationships are the <c>relationship</c> subgroup.
/// </summary>
internal static class DigitalTwinTwinCommands
{
    private static readonly CliColumn[] s_columns =
    [
        CliColumn.At("DtId", "$dtId"), CliColumn.At("Model", "$metadata.$model"), CliColumn.At("ETag", "$etag"),
    ];

    public static Command Group() => CliCommand.Group("twin", "Digital twins: each validated whole against its model.",
        Create(), Show(), Update(), Delete(), Query(), InvokeCommand(), DigitalTwinRelationshipCommands.Group());

    private static Command Create()
    {
        var id = DigitalTwinCommands.TwinId();
        var model = ManagementArgs.Optional("--dtmi", "The twin's model; or give $metadata.$model in --properties.", "--model-id", "-m");
        var properties = ManagementArgs.Optional("--properties", "The twin's properties and components: JSON or @file.", "-p");
        return CliCommand.Create("create", "Creates (or replaces) a digital twin.", async (session, ct) =>
        {
            var twin = session.Get(properties) is { } text ? ManagementArgs.Object(text, "--properties") : [];
            if (session.Get(model) is { } dtmi)
            {
                var metadata = twin["$metadata"] as JsonObject ?? [];
                metadata["$model"] = dtmi;
                twin["$metadata"] = metadata.DeepClone();
            }

            if (twin["$metadata"]?["$model"] is null)
            {
                throw new CliUsageException("A twin needs its model: pass --dtmi or $metadata.$model in --properties.");
            }

            var created = await session.DigitalTwins.PutAsync(DigitalTwinCommands.TwinPath(session.Get(id)!), twin, cancellationToken: ct).ConfigureAwait(false);
            return ManagementArgs.Print(session, created, s_columns);
        }, id, model, properties);
    }

    private static Command Show()
    {
        var id = DigitalTwinCommands.TwinId();
        return CliCommand.Create("show", "Shows a digital twin.", async (session, ct) =>
            ManagementArgs.Print(session, await session.DigitalTwins.GetAsync(DigitalTwinCommands.TwinPath(session.Get(id)!), ct).ConfigureAwait(false), s_columns), id);
    }

    private static Command Update()
    {
        var id = DigitalTwinCommands.TwinId();
        var patch = ManagementArgs.Required("--json-patch", "A JSON Patch: JSON or @file, [{\"op\":\"replace\",\"path\":\"/temperature\",\"value\":21}].", "--patch");
        var etag = DigitalTwinCommands.ETag();
        return CliCommand.Create("update", "Changes a digital twin with a JSON Patch (add, replace, remove); prints the twin as it is now.", async (session, ct) =>
        {
            var path = DigitalTwinCommands.TwinPath(session.Get(id)!);
            await DigitalTwinCommands.PatchAsync(session, path, session.Get(patch)!, session.Get(etag), ct).ConfigureAwait(false);
            return ManagementArgs.Print(session, await session.DigitalTwins.GetAsync(path, ct).ConfigureAwait(false), s_columns);
        }, id, patch, etag);
    }

    private static Command Delete()
    {
        var id = DigitalTwinCommands.TwinId();
        var etag = DigitalTwinCommands.ETag();
        return CliCommand.Create("delete", "Deletes a digital twin that has no relationships either way.", async (session, ct) =>
        {
            await session.DigitalTwins.DeleteAsync(DigitalTwinCommands.TwinPath(session.Get(id)!), DigitalTwinCommands.IfMatch(session.Get(etag)) ?? "*", ct).ConfigureAwait(false);
            return 0;
        }, id, etag);
    }

    private static Command Query()
    {
        var query = ManagementArgs.Required("--query-command", "The query: SELECT * FROM digitaltwins WHERE ...", "-q");
        var top = ManagementArgs.Optional<int>("--top", "The most results to return (the pages are read until then).");
        return CliCommand.Create("query", "Runs a digital twins query (Azure Digital Twins' language: WHERE, JOIN, MATCH) over every page.", async (session, ct) =>
        {
            var results = new JsonArray();
            JsonObject body = new() { ["query"] = session.Get(query) };
            while (true)
            {
                var page = await session.DigitalTwins.PostAsync("/query", body, ct).ConfigureAwait(false);
                foreach (var item in ManagementArgs.Value(page).ToArray())
                {
                    if (session.Get(top) is { } limit && results.Count >= limit)
                    {
                        break;
                    }

                    results.Add(item?.DeepClone());
                }

                if (page?["continuationToken"]?.ToString() is not { } next || (session.Get(top) is { } max && results.Count >= max))
                {
                    break;
                }

                body = new JsonObject { ["continuationToken"] = next };
            }

            return ManagementArgs.Print(session, results, Columns(results));
        }, query, top);
    }

    private static Command InvokeCommand()
    {
        var id = DigitalTwinCommands.TwinId();
        var name = ManagementArgs.Required("--command-name", "The command of the twin's model.", "--cn");
        var component = ManagementArgs.Optional("--component", "The component whose command it is.");
        var payload = ManagementArgs.Optional("--payload", "The command's request: JSON or @file.");
        return CliCommand.Create("invoke-command", "Invokes a command of the twin's model on its bound device (a direct method) and prints the device's answer.", async (session, ct) =>
        {
            var path = DigitalTwinCommands.TwinPath(session.Get(id)!)
                + (session.Get(component) is { } c ? "/components/" + ManagementArgs.Segment(c) : string.Empty)
                + "/commands/" + ManagementArgs.Segment(session.Get(name)!);
            var request = session.Get(payload) is { } text ? CliJson.Parse(text, "--payload") : null;
            return ManagementArgs.Print(session, await session.DigitalTwins.PostAsync(path, request, ct).ConfigureAwait(false));
        }, id, name, component, payload);
    }

    /// <summary>A query's table: whole twins by id and model, projections by their own names.</summary>
    private static CliColumn[] Columns(JsonArray results) =>
        results.FirstOrDefault() is JsonObject first && !first.ContainsKey("$metadata")
            ? [.. first.Select(p => p.Key).Take(8).Select(key => new CliColumn(key, row => row?[key] is { } value ? (value is JsonValue ? value.ToString() : value.ToJsonString()) : null))]
            : s_columns;
}
