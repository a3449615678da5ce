using System.CommandLine;
using System.Text.Json.Nodes;
using DeviceFabric.RestClient;
using Spectre.Console;

namespace DeviceFabric.Cli.Commands.Hub;

/// <summary><c>job</c>: scheduled twin updates and direct-method calls over the devices a condition picks (<c>/jobs/v2</c>).</summary>
internal static class JobCommands
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(500);

    private static readonly CliColumn[] s_columns =
    [
        CliColumn.At("JobId", "jobId"),
        CliColumn.At("Type", "type"),
        CliColumn.At("Status", "status"),
        CliColumn.At("Devices", "deviceJobStatistics.deviceCount"),
        CliColumn.At("Succeeded", "deviceJobStatistics.succeededCount"),
        CliColumn.At("Failed", "deviceJobStatistics.failedCount"),
        CliColumn.At("StartTime", "startTime"),
        CliColumn.At("EndTime", "endTime"),
    ];

    public static Command Group() => CliCommand.Group("job", "Schedules and follows jobs over many devices.", Create(), Show(), List(), Cancel());

    private static Command Create()
    {
        var jobId = HubOptions.RequiredText("--job-id", "The job's id.");
        var type = HubOptions.Choice("--job-type", "scheduleUpdateTwin or scheduleDeviceMethod.", "scheduleUpdateTwin", "scheduleUpdateTwin", "scheduleDeviceMethod");
        var condition = HubOptions.RequiredText("--query-condition", "The devices: a WHERE condition over twins (deviceId IN ['a','b'], tags.site = 'x').");
        var patch = HubOptions.Text("--twin-patch", "scheduleUpdateTwin: the patch, as JSON or @file ({\"tags\":{...},\"properties\":{\"desired\":{...}}}).");
        var method = HubOptions.Text("--method-name", "scheduleDeviceMethod: the method's name.");
        var payload = HubOptions.Text("--method-payload", "scheduleDeviceMethod: the payload, as JSON or @file (default null).");
        var responseTimeout = new Option<int>("--method-response-timeout") { Description = "Seconds each device has to answer.", DefaultValueFactory = _ => 30 };
        var connectTimeout = new Option<int>("--method-connect-timeout") { Description = "Seconds to wait for each device to connect.", DefaultValueFactory = _ => 0 };
        var startTime = HubOptions.Text("--start-time", "When to start, ISO 8601 (default: now).");
        var ttl = new Option<int?>("--ttl") { Description = "Seconds the job may run (default 3600)." };
        var wait = HubOptions.Flag("--wait", "Follow the job on a progress bar until it ends; exit 1 unless it completes.");
        return CliCommand.Create("create", "Schedules a twin-update or direct-method job.", async (session, ct) =>
        {
            var body = new JsonObject
            {
                ["jobId"] = session.Get(jobId),
                ["type"] = session.Get(type),
                ["queryCondition"] = session.Get(condition),
                ["startTime"] = session.Get(startTime),
                ["maxExecutionTimeInSeconds"] = session.Get(ttl),
            };
            if (session.Get(type) == "scheduleUpdateTwin")
            {
                body["updateTwin"] = CliJson.Parse(session.Get(patch) ?? throw new CliUsageException("scheduleUpdateTwin needs --twin-patch."), "--twin-patch");
            }
            else
            {
                body["cloudToDeviceMethod"] = new JsonObject
                {
                    ["methodName"] = session.Get(method) ?? throw new CliUsageException("scheduleDeviceMethod needs --method-name."),
                    ["payload"] = session.Get(payload) is { } text ? CliJson.Parse(text, "--method-payload") : null,
                    ["responseTimeoutInSeconds"] = session.Get(responseTimeout),
                    ["connectTimeoutInSeconds"] = session.Get(connectTimeout),
                };
            }

            var path = Path(session.Get(jobId)!);
            var job = await session.Hub.PutAsync(path, body, cancellationToken: ct);
            return session.Get(wait) ? await WaitAsync(session, path, job, ct) : Print(session, job);
        }, jobId, type, condition, patch, method, payload, responseTimeout, connectTimeout, startTime, ttl, wait);
    }

    private static Command Show()
    {
        var jobId = HubOptions.RequiredText("--job-id", "The job's id.");
        return CliCommand.Create("show", "Shows a job's status and device statistics.", async (session, ct) =>
            Print(session, await session.Hub.GetAsync(Path(session.Get(jobId)!), ct)), jobId);
    }

    private static Command List()
    {
        var type = HubOptions.OptionalChoice("--job-type", "Only jobs of this type.", "scheduleUpdateTwin", "scheduleDeviceMethod");
        var status = HubOptions.OptionalChoice("--job-status", "Only jobs in this status.", "scheduled", "running", "completed", "failed", "cancelled");
        var top = HubOptions.Top("jobs");
        return CliCommand.Create("list", "Lists jobs, newest first.", async (session, ct) =>
        {
            var query = $"/jobs/v2/query?jobType={HubPaths.Escape(session.Get(type) ?? string.Empty)}&jobStatus={HubPaths.Escape(session.Get(status) ?? string.Empty)}";
            var jobs = await HubResults.CollectAsync(
                (continuation, size) => session.Hub.SendAsync(HttpMethod.Get, query, null, new RestRequestOptions { ContinuationToken = continuation, MaxItemCount = size }, ct),
                session.Get(top),
                1000);
            return Print(session, jobs);
        }, type, status, top);
    }

    private static Command Cancel()
    {
        var jobId = HubOptions.RequiredText("--job-id", "The job's id.");
        return CliCommand.Create("cancel", "Cancels a job that has not ended.", async (session, ct) =>
            Print(session, await session.Hub.PostAsync(Path(session.Get(jobId)!) + "/cancel", null, ct)), jobId);
    }

    /// <summary>Polls the job until it ends, its devices done (succeeded or failed) on a bar; exit 1 unless it completed.</summary>
    private static async Task<int> WaitAsync(CliSession session, string path, JsonNode? job, CancellationToken ct)
    {
        await session.Console.Status.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var bar = progress.AddTask(Markup.Escape($"Job {CliJson.At(job, "jobId")}"), maxValue: 1);
                while (!IsEnded(job))
                {
                    ShowProgress(bar, job);
                    await Task.Delay(s_pollInterval, ct);
                    job = await session.Hub.GetAsync(path, ct);
                }

                ShowProgress(bar, job);
                bar.StopTask();
            });

        Print(session, job);
        if (CliJson.At(job, "status") == "completed")
        {
            return 0;
        }

        session.Console.Refused("JobNotCompleted", $"The job ended {CliJson.At(job, "status")}: {CliJson.At(job, "failureReason") ?? CliJson.At(job, "statusMessage") ?? "no reason given"}.");
        return CliCommand.Refused;
    }

    private static void ShowProgress(ProgressTask bar, JsonNode? job)
    {
        var devices = Count(job, "deviceCount");
        bar.MaxValue = Math.Max(1, devices);
        bar.Value = Count(job, "succeededCount") + Count(job, "failedCount");
        bar.Description = Markup.Escape($"Job {CliJson.At(job, "jobId")} {CliJson.At(job, "status")}: {Count(job, "succeededCount")} succeeded, {Count(job, "failedCount")} failed of {devices}");
    }

    private static long Count(JsonNode? job, string name) => long.TryParse(CliJson.At(job, "deviceJobStatistics." + name), out var n) ? n : 0;

    private static bool IsEnded(JsonNode? job) => CliJson.At(job, "status") is "completed" or "failed" or "cancelled";

    private static int Print(CliSession session, JsonNode? job)
    {
        session.Console.Write(job, session.Format, s_columns);
        return 0;
    }

    private static string Path(string jobId) => "/jobs/v2/" + HubPaths.Escape(jobId);
}
