using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace DeviceFabric.Cli.Commands.Hub;

/// <summary>
/// <c>hub export-devices|import-devices</c> and <c>hub job</c>: IoT Hub's import and export jobs in its bulk format,
/// over folders of the node's transfer directory (<c>/jobs/create</c>, <c>/jobs/{id}</c>).
/// </summary>
internal static class TransferCommands
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(500);

    private static readonly CliColumn[] s_columns =
    [
        CliColumn.At("JobId", "jobId"),
        CliColumn.At("Type", "type"),
        CliColumn.At("Status", "status"),
        CliColumn.At("Progress", "progress"),
        CliColumn.At("Succeeded", "devicesSucceeded"),
        CliColumn.At("Failed", "devicesFailed"),
        CliColumn.At("FailureReason", "failureReason"),
    ];

    public static Command Group() => CliCommand.Group(
        "hub",
        "Hub-wide import and export of devices.",
        Export(),
        Import(),
        CliCommand.Group("job", "Import and export jobs.", List(), Show(), Cancel()));

    private static Command Export()
    {
        var container = HubOptions.RequiredText("--container", "The folder of the node's transfer directory to write devices.txt to (name or file:///name).");
        var blob = HubOptions.Text("--blob-name", "The file's name (default devices.txt).");
        var excludeKeys = HubOptions.Flag("--exclude-keys", "Leave the devices' keys out of the export.");
        var wait = WaitOption();
        return CliCommand.Create("export-devices", "Exports every device, one JSON device a line.", async (session, ct) =>
        {
            var body = new JsonObject
            {
                ["type"] = "export",
                ["outputBlobContainerUri"] = session.Get(container),
                ["outputBlobName"] = session.Get(blob),
                ["excludeKeysInExport"] = session.Get(excludeKeys),
            };
            return await StartAsync(session, body, session.Get(wait), ct);
        }, container, blob, excludeKeys, wait);
    }

    private static Command Import()
    {
        var input = HubOptions.RequiredText("--input-container", "The folder holding devices.txt (name or file:///name).");
        var output = HubOptions.Text("--output-container", "The folder for importErrors.log (default: the input folder).");
        var blob = HubOptions.Text("--input-blob-name", "The file's name (default devices.txt).");
        var wait = WaitOption();
        return CliCommand.Create("import-devices", "Imports devices from IoT Hub's bulk format (importMode per line).", async (session, ct) =>
        {
            var body = new JsonObject
            {
                ["type"] = "import",
                ["inputBlobContainerUri"] = session.Get(input),
                ["outputBlobContainerUri"] = session.Get(output) ?? session.Get(input),
                ["inputBlobName"] = session.Get(blob),
            };
            return await StartAsync(session, body, session.Get(wait), ct);
        }, input, output, blob, wait);
    }

    private static Command List() => CliCommand.Create("list", "Lists the latest import and export jobs, newest first.", async (session, ct) =>
    {
        session.Console.Write(await session.Hub.GetAsync("/jobs", ct), session.Format, s_columns);
        return 0;
    });

    private static Command Show()
    {
        var jobId = HubOptions.RequiredText("--job-id", "The job's id.");
        return CliCommand.Create("show", "Shows an import or export job.", async (session, ct) =>
        {
            session.Console.Write(await session.Hub.GetAsync(Path(session.Get(jobId)!), ct), session.Format, s_columns);
            return 0;
        }, jobId);
    }

    private static Command Cancel()
    {
        var jobId = HubOptions.RequiredText("--job-id", "The job's id.");
        return CliCommand.Create("cancel", "Cancels an import or export job.", async (session, ct) =>
        {
            session.Console.Write((await session.Hub.SendAsync(HttpMethod.Delete, Path(session.Get(jobId)!), null, null, ct)).Body, session.Format, s_columns);
            return 0;
        }, jobId);
    }

    private static Option<bool> WaitOption() => HubOptions.Flag("--wait", "Follow the job on a progress bar until it ends; exit 1 unless it completes.");

    private static async Task<int> StartAsync(CliSession session, JsonObject body, bool wait, CancellationToken ct)
    {
        var job = await session.Hub.PostAsync("/jobs/create", body, ct);
        if (wait)
        {
            var path = Path(CliJson.At(job, "jobId") ?? throw new CliUsageException("The node returned no job id."));
            await session.Console.Status.Progress().StartAsync(async progress =>
            {
                var bar = progress.AddTask(Markup.Escape($"{CliJson.At(job, "type")} {CliJson.At(job, "jobId")}"), maxValue: 100);
                while (CliJson.At(job, "status") is not ("completed" or "failed" or "cancelled"))
                {
                    bar.Value = double.TryParse(CliJson.At(job, "progress"), out var percent) ? percent : 0;
                    await Task.Delay(s_pollInterval, ct);
                    job = await session.Hub.GetAsync(path, ct);
                }

                bar.Value = 100;
            });
        }

        session.Console.Write(job, session.Format, s_columns);
        if (wait && CliJson.At(job, "status") != "completed")
        {
            session.Console.Refused("JobNotCompleted", $"The job ended {CliJson.At(job, "status")}: {CliJson.At(job, "failureReason") ?? "no reason given"}.");
            return CliCommand.Refused;
        }

        return 0;
    }

    private static string Path(string jobId) => "/jobs/" + HubPaths.Escape(jobId);
}
