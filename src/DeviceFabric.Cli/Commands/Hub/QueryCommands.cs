using System.CommandLine;
using System.Text.Json.Nodes;
using DeviceFabric.RestClient;

namespace DeviceFabric.Cli.Commands.Hub;

/// <summary><c>query</c>: IoT Hub's query language over twins, modules and job rows (<c>POST /devices/query</c>), every page.</summary>
internal static class QueryCommands
{
    private const int MaxPageSize = 1000;

    private static readonly CliColumn[] s_columns =
    [
        CliColumn.At("DeviceId", "deviceId"),
        CliColumn.At("ModuleId", "moduleId"),
        CliColumn.At("Status", "status"),
        CliColumn.At("ConnectionState", "connectionState"),
        CliColumn.At("JobId", "jobId"),
        CliColumn.At("Tags", "tags"),
    ];

    public static Command Command()
    {
        var query = new Option<string>("--query-command", "-q") { Description = "SELECT ... FROM devices | devices.modules | devices.jobs [WHERE ...]", Required = true };
        var top = HubOptions.Top("results");
        return CliCommand.Create("query", "Runs a query over device twins, module twins or job rows, through every page.", async (session, ct) =>
        {
            var results = await RunAsync(session, session.Get(query)!, session.Get(top), ct);
            session.Console.Write(results, session.Format, s_columns);
            return 0;
        }, query, top);
    }

    /// <summary>The query's results, up to <paramref name="top"/> (all when null).</summary>
    public static Task<JsonArray> RunAsync(CliSession session, string query, int? top, CancellationToken ct) =>
        HubResults.CollectAsync(
            (continuation, size) => session.Hub.SendAsync(
                HttpMethod.Post,
                "/devices/query",
                new JsonObject { ["query"] = query },
                new RestRequestOptions { ContinuationToken = continuation, MaxItemCount = size },
                ct),
            top,
            MaxPageSize);
}
