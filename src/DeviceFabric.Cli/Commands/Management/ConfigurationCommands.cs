using System.CommandLine;
using System.Text.Json.Nodes;

namespace DeviceFabric.Cli.Commands.Management;

/// <summary>
/// <c>configuration</c>: automatic device configurations (<c>/configurations/{id}</c>), as <c>az iot hub
/// configuration</c> manages them. IoT Edge deployments are configurations too; <c>edge deployment</c> shows only those.
/// </summary>
internal static class ConfigurationCommands
{
    /// <summary>A configuration's table: its condition, priority and counts.</summary>
    public static readonly CliColumn[] Columns =
    [
        CliColumn.At("Id", "id"), CliColumn.At("Priority", "priority"), CliColumn.At("TargetCondition", "targetCondition"),
        CliColumn.At("Targeted", "systemMetrics.results.targetedCount"), CliColumn.At("Applied", "systemMetrics.results.appliedCount"),
        CliColumn.At("Created", "createdTimeUtc"),
    ];

    public static Command Group() => CliCommand.Group("configuration", "Automatic device configurations: content written into every twin a condition targets.",
        Create(edge: false), List(edge: false), Show(), Update(), Delete());

    /// <summary><c>create</c>: of a device configuration, or (<paramref name="edge"/>) of an IoT Edge deployment.</summary>
    public static Command Create(bool edge)
    {
        var id = edge
            ? ManagementArgs.Required("--deployment-id", "The deployment's id.", "-d")
            : ManagementArgs.Required("--config-id", "The configuration's id.", "-c");
        var content = ManagementArgs.Required("--content", edge
            ? "The deployment manifest: JSON or @file, {\"modulesContent\":{...}} (or wrapped in \"content\")."
            : "The content: JSON or @file, {\"deviceContent\":{...}} or {\"moduleContent\":{...}} (or wrapped in \"content\").", "-k");
        var condition = ManagementArgs.Required("--target-condition", "The twins it targets: a condition of the query language (tags.environment='prod'), * for every twin.", "--tc");
        var priority = ManagementArgs.Optional<int>("--priority", "Which configuration wins a twin path both write: the highest.", "--pri");
        var labels = ManagementArgs.Optional("--labels", "Labels: a JSON object of strings, or key=value,key=value.", "--lab");
        var metrics = ManagementArgs.Optional("--metrics", "Custom metrics: JSON or @file, {\"queries\":{\"name\":\"SELECT deviceId FROM devices WHERE ...\"}}.", "-m");
        return CliCommand.Create("create", edge ? "Creates an IoT Edge deployment." : "Creates a configuration.", async (session, ct) =>
        {
            var configurationId = session.Get(id)!;
            var body = new JsonObject
            {
                ["id"] = configurationId,
                ["content"] = Content(session.Get(content)!, edge),
                ["targetCondition"] = session.Get(condition),
                ["priority"] = session.Get(priority) ?? 0,
            };
            Describe(body, session, labels, metrics);
            var stored = await session.Hub.PutAsync(Path(configurationId), body, cancellationToken: ct).ConfigureAwait(false);
            return ManagementArgs.Print(session, stored, Columns);
        }, id, content, condition, priority, labels, metrics);
    }

    /// <summary><c>list</c>: every configuration, or (<paramref name="edge"/>) the IoT Edge deployments only.</summary>
    public static Command List(bool edge)
    {
        var top = ManagementArgs.Optional<int>("--top", "The most to list.");
        return CliCommand.Create("list", edge ? "Lists the IoT Edge deployments with their counts." : "Lists the configurations with their counts.", async (session, ct) =>
        {
            var path = session.Get(top) is { } limit ? $"/configurations?top={limit}" : "/configurations";
            var all = await session.Hub.GetAsync(path, ct).ConfigureAwait(false) as JsonArray ?? [];
            var shown = new JsonArray([.. all.Where(c => !edge || IsDeployment(c)).Select(c => c?.DeepClone())]);
            return ManagementArgs.Print(session, shown, Columns);
        }, top);
    }

    /// <summary><c>show</c>: one configuration with its counts and metrics.</summary>
    public static Command Show(bool edge = false)
    {
        var id = ConfigurationId(edge);
        return CliCommand.Create("show", "Shows a configuration with its target condition, counts and metrics.", async (session, ct) =>
            ManagementArgs.Print(session, await session.Hub.GetAsync(Path(session.Get(id)!), ct).ConfigureAwait(false), Columns), id);
    }

    /// <summary><c>delete</c>: its twins fall back to the next configuration or lose its settings.</summary>
    public static Command Delete(bool edge = false)
    {
        var id = ConfigurationId(edge);
        var etag = ManagementArgs.ETag();
        return CliCommand.Create("delete", "Deletes a configuration; its twins fall back to the next one offering each path.", async (session, ct) =>
        {
            await session.Hub.DeleteAsync(Path(session.Get(id)!), session.Get(etag) ?? "*", ct).ConfigureAwait(false);
            return 0;
        }, id, etag);
    }

    private static Command Update()
    {
        var id = ConfigurationId(edge: false);
        var condition = ManagementArgs.Optional("--target-condition", "The new target condition.", "--tc");
        var priority = ManagementArgs.Optional<int>("--priority", "The new priority.", "--pri");
        var labels = ManagementArgs.Optional("--labels", "The new labels: a JSON object of strings, or key=value,key=value.", "--lab");
        var metrics = ManagementArgs.Optional("--metrics", "The new custom metrics: JSON or @file, {\"queries\":{...}}.", "-m");
        var etag = ManagementArgs.ETag();
        return CliCommand.Create("update", "Changes a configuration's target condition, priority, labels or metrics (content is fixed once created).", async (session, ct) =>
        {
            var path = Path(session.Get(id)!);
            var configuration = (JsonObject)(await session.Hub.GetAsync(path, ct).ConfigureAwait(false))!;
            var stored = configuration["etag"]?.ToString();
            configuration.Remove("systemMetrics");
            if (session.Get(condition) is { } newCondition)
            {
                configuration["targetCondition"] = newCondition;
            }

            if (session.Get(priority) is { } newPriority)
            {
                configuration["priority"] = newPriority;
            }

            Describe(configuration, session, labels, metrics);
            var updated = await session.Hub.PutAsync(path, configuration, session.Get(etag) ?? stored ?? "*", ct).ConfigureAwait(false);
            return ManagementArgs.Print(session, updated, Columns);
        }, id, condition, priority, labels, metrics, etag);
    }

    private static void Describe(JsonObject body, CliSession session, Option<string?> labels, Option<string?> metrics)
    {
        if (session.Get(labels) is { } text)
        {
            body["labels"] = ManagementArgs.Labels(text);
        }

        if (session.Get(metrics) is { } metricsText)
        {
            var given = ManagementArgs.Object(metricsText, "--metrics");
            // az takes {"queries":...} or the whole {"metrics":{"queries":...}}.
            var queries = (given["metrics"] as JsonObject ?? given)["queries"] as JsonObject
                ?? throw new CliUsageException("--metrics must be {\"queries\":{\"name\":\"SELECT ...\"}}.");
            body["metrics"] = new JsonObject { ["queries"] = queries.DeepClone() };
        }
    }

    /// <summary>The content as the API takes it; a file holding the whole configuration (with "content") is unwrapped.</summary>
    public static JsonObject Content(string text, bool edge)
    {
        var given = ManagementArgs.Object(text, "--content");
        var content = given["content"] as JsonObject ?? given;
        if (edge && content["modulesContent"] is not JsonObject)
        {
            throw new CliUsageException("--content of an IoT Edge deployment needs modulesContent ($edgeAgent and $edgeHub).");
        }

        if (!edge && content["deviceContent"] is null && content["moduleContent"] is null && content["modulesContent"] is null)
        {
            throw new CliUsageException("--content needs deviceContent, moduleContent or modulesContent.");
        }

        return (JsonObject)content.DeepClone();
    }

    private static bool IsDeployment(JsonNode? configuration) => configuration?["content"]?["modulesContent"] is JsonObject { Count: > 0 };

    private static Option<string> ConfigurationId(bool edge) => edge
        ? ManagementArgs.Required("--deployment-id", "The deployment's id.", "-d")
        : ManagementArgs.Required("--config-id", "The configuration's id.", "-c");

    private static string Path(string id) => "/configurations/" + ManagementArgs.Segment(id);
}
