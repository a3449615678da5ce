using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;

namespace DeviceFabric.Cli.Commands.Management;

/// <summary><c>dt model</c>: DTDL models (<c>/models</c>), uploaded as one batch, listed, shown, decommissioned and deleted.</summary>
internal static class DigitalTwinModelCommands
{
    private static readonly CliColumn[] s_columns =
    [
        CliColumn.At("Id", "id"), CliColumn.At("DisplayName", "displayName.en"), CliColumn.At("Decommissioned", "decommissioned"), CliColumn.At("Uploaded", "uploadTime"),
    ];

    public static Command Group() => CliCommand.Group("model", "DTDL models (v2 or v3 interfaces).", Create(), List(), Show(), Update(), Delete());

    private static Command Create()
    {
        var models = ManagementArgs.Required("--models", "The interfaces: JSON or @file, an array of DTDL interfaces (or one), all added or none.", "-m");
        return CliCommand.Create("create", "Uploads DTDL interfaces that may reference each other in any order; a refusal names the error's path.", async (session, ct) =>
        {
            var given = CliJson.Parse(session.Get(models)!, "--models");
            var batch = given is JsonArray ? given : new JsonArray(given.DeepClone());
            using var content = new StringContent(batch.ToJsonString(), Encoding.UTF8, "application/json");
            var added = await session.DigitalTwins.SendContentAsync(HttpMethod.Post, "/models", content, null, ct).ConfigureAwait(false);
            return ManagementArgs.Print(session, added.Body, s_columns);
        }, models);
    }

    private static Command List()
    {
        var definition = Definition();
        var dependencies = ManagementArgs.Many("--dependencies-for", "Only these models and what they depend on.");
        return CliCommand.Create("list", "Lists the models.", async (session, ct) =>
        {
            var query = new List<string>();
            if (session.Get(definition))
            {
                query.Add("includeModelDefinition=true");
            }

            query.AddRange((session.Get(dependencies) ?? []).Select(d => "dependenciesFor=" + Uri.EscapeDataString(d)));
            var path = query.Count == 0 ? "/models" : "/models?" + string.Join('&', query);
            return ManagementArgs.Print(session, ManagementArgs.Value(await session.DigitalTwins.GetAsync(path, ct).ConfigureAwait(false)), s_columns);
        }, definition, dependencies);
    }

    private static Command Show()
    {
        var id = Dtmi();
        var definition = Definition();
        return CliCommand.Create("show", "Shows a model.", async (session, ct) =>
        {
            var path = Path(session.Get(id)!) + (session.Get(definition) ? "?includeModelDefinition=true" : string.Empty);
            return ManagementArgs.Print(session, await session.DigitalTwins.GetAsync(path, ct).ConfigureAwait(false), s_columns);
        }, id, definition);
    }

    private static Command Update()
    {
        var id = Dtmi();
        var decommission = new Option<bool>("--decommission") { Description = "Decommission the model: no new twin may use it (the only change a model takes).", Required = true };
        return CliCommand.Create("update", "Decommissions a model.", async (session, ct) =>
        {
            if (!session.Get(decommission))
            {
                throw new CliUsageException("A model's only change is --decommission.");
            }

            var patch = new JsonArray(new JsonObject { ["op"] = "replace", ["path"] = "/decommissioned", ["value"] = true });
            await session.DigitalTwins.PatchAsync(Path(session.Get(id)!), patch, cancellationToken: ct).ConfigureAwait(false);
            return ManagementArgs.Print(session, await session.DigitalTwins.GetAsync(Path(session.Get(id)!), ct).ConfigureAwait(false), s_columns);
        }, id, decommission);
    }

    private static Command Delete()
    {
        var id = Dtmi();
        return CliCommand.Create("delete", "Deletes a model no model or twin uses.", async (session, ct) =>
        {
            await session.DigitalTwins.DeleteAsync(Path(session.Get(id)!), null, ct).ConfigureAwait(false);
            return 0;
        }, id);
    }

    private static Option<string> Dtmi() => ManagementArgs.Required("--dtmi", "The model's id (dtmi:com:example:Thermostat;1).", "--model-id");

    private static Option<bool> Definition() => new("--definition", "--def") { Description = "Include the model's DTDL definition." };

    private static string Path(string dtmi) => "/models/" + ManagementArgs.Segment(dtmi);
}
