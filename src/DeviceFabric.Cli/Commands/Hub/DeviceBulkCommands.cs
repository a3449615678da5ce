using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace DeviceFabric.Cli.Commands.Hub;

/// <summary>
/// Many devices at once through IoT Hub's bulk registry call (<c>POST /devices</c>, 100 a request), with a progress
/// bar on standard error: <c>device-identity import</c>, <c>bulk create</c> and <c>bulk set-status</c>.
/// </summary>
internal static class DeviceBulkCommands
{
    private const int BatchSize = 100;

    private static readonly CliColumn[] s_summaryColumns =
    [
        CliColumn.At("Total", "total"),
        CliColumn.At("Succeeded", "succeeded"),
        CliColumn.At("Failed", "failed"),
    ];

    public static Command Import()
    {
        var file = HubOptions.RequiredText("--file", "A JSON array of devices, or one JSON device a line (IoT Hub's bulk format: id, importMode, status, authentication...).");
        return CliCommand.Create("import", "Creates, updates or deletes the devices of a file (importMode per device, default createOrUpdate).", async (session, ct) =>
        {
            var devices = ReadDevices(session.Get(file)!);
            foreach (var device in devices.OfType<JsonObject>())
            {
                device["importMode"] ??= "createOrUpdate";
            }

            return await RunAsync(session, "Importing devices", devices, ct);
        }, file);
    }

    public static Command Bulk() => CliCommand.Group("bulk", "Many devices at once.", BulkCreate(), BulkSetStatus());

    private static Command BulkCreate()
    {
        var count = new Option<int>("--count", "-c") { Description = "How many devices.", Required = true };
        var prefix = HubOptions.Text("--prefix", "The ids' prefix: {prefix}-0001, {prefix}-0002... (default: device).", "device");
        var edge = HubOptions.Flag("--edge-enabled", "The devices are IoT Edge devices.");
        return CliCommand.Create("create", "Creates --count devices with generated keys.", async (session, ct) =>
        {
            var n = session.Get(count);
            if (n is < 1 or > 1_000_000)
            {
                throw new CliUsageException("--count is 1 to 1000000.");
            }

            var width = Math.Max(4, n.ToString(CultureInfo.InvariantCulture).Length);
            var devices = new JsonArray();
            for (var i = 1; i <= n; i++)
            {
                devices.Add(new JsonObject
                {
                    ["id"] = $"{session.Get(prefix)}-{i.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0')}",
                    ["importMode"] = "create",
                    ["capabilities"] = new JsonObject { ["iotEdge"] = session.Get(edge) },
                });
            }

            return await RunAsync(session, "Creating devices", devices, ct);
        }, count, prefix, edge);
    }

    private static Command BulkSetStatus()
    {
        var query = HubOptions.RequiredText("--query", "The devices: a condition (status = 'enabled' AND tags.site = 'x') or a whole SELECT * FROM devices WHERE ...");
        var status = HubOptions.Choice("--status", "enabled or disabled.", "disabled", "enabled", "disabled");
        var reason = HubOptions.Text("--status-reason", "Why the devices have their status.");
        return CliCommand.Create("set-status", "Enables or disables every device a query picks.", async (session, ct) =>
        {
            var text = session.Get(query)!;
            var select = text.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase) ? text : $"SELECT * FROM devices WHERE {text}";
            var twins = await QueryCommands.RunAsync(session, select, null, ct);
            var ids = twins.Select(t => CliJson.At(t, "deviceId")).OfType<string>().ToList();
            var devices = new JsonArray();
            foreach (var chunk in ids.Chunk(BatchSize))
            {
                // The identities are read whole, so the update keeps their keys and thumbprints.
                var current = await Task.WhenAll(chunk.Select(id => session.Hub.GetAsync(HubPaths.Device(id), ct)));
                foreach (var device in current.OfType<JsonObject>())
                {
                    // A new item, not the device's JSON: the node reads names in any case, and etag and eTag would be one twice.
                    devices.Add(new JsonObject
                    {
                        ["id"] = device["deviceId"]?.DeepClone(),
                        ["eTag"] = device["etag"]?.DeepClone(),
                        ["importMode"] = "updateIfMatchETag",
                        ["status"] = session.Get(status),
                        ["statusReason"] = session.Get(reason),
                        ["authentication"] = device["authentication"]?.DeepClone(),
                        ["capabilities"] = device["capabilities"]?.DeepClone(),
                    });
                }
            }

            return await RunAsync(session, $"Setting {devices.Count} devices {session.Get(status)}", devices, ct);
        }, query, status, reason);
    }

    /// <summary>Sends <paramref name="devices"/> a batch at a time, counting them on a progress bar; exit 1 if any failed.</summary>
    private static async Task<int> RunAsync(CliSession session, string what, JsonArray devices, CancellationToken ct)
    {
        var errors = new JsonArray();
        var batches = devices.Select(d => d?.DeepClone()).Chunk(BatchSize).ToList();
        await session.Console.Status.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var bar = progress.AddTask(Markup.Escape(what), maxValue: Math.Max(1, devices.Count));
                foreach (var batch in batches)
                {
                    var result = await session.Hub.PostAsync("/devices", new JsonArray(batch), ct);
                    foreach (var error in result?["errors"] as JsonArray ?? [])
                    {
                        errors.Add(error?.DeepClone());
                    }

                    bar.Increment(batch.Length);
                }
            });

        var summary = new JsonObject
        {
            ["total"] = devices.Count,
            ["succeeded"] = devices.Count - errors.Count,
            ["failed"] = errors.Count,
            ["errors"] = errors,
        };
        session.Console.Write(summary, session.Format, s_summaryColumns);
        if (errors.Count > 0)
        {
            session.Console.Refused("BulkFailed", $"{errors.Count} of {devices.Count} devices failed; the errors name each.");
            return CliCommand.Refused;
        }

        return 0;
    }

    private static JsonArray ReadDevices(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliUsageException($"--file: the file {path} does not exist.");
        }

        var text = File.ReadAllText(path);
        try
        {
            if (text.TrimStart().StartsWith('['))
            {
                return JsonNode.Parse(text) as JsonArray ?? [];
            }

            var devices = new JsonArray();
            foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                devices.Add(JsonNode.Parse(line));
            }

            return devices.Count > 0 ? devices : throw new CliUsageException($"--file: {path} holds no devices.");
        }
        catch (JsonException ex)
        {
            throw new CliUsageException($"--file: {path} is not a JSON array nor one JSON device a line: {ex.Message}");
        }
    }
}
