using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;

namespace DeviceFabric.Cli.Commands.Hub;

/// <summary>
/// The hub's built-in event endpoint: <c>monitor-events</c> (every partition read at once, merged, one JSON event a
/// line), <c>events partitions</c>, and <c>consumer-group checkpoint show|set</c>.
/// </summary>
internal static class EventCommands
{
    private const string DefaultGroup = "$Default";

    private static readonly CliColumn[] s_partitionColumns =
    [
        CliColumn.At("Partition", "partitionId"),
        CliColumn.At("FirstOffset", "firstOffset"),
        CliColumn.At("LastOffset", "lastOffset"),
        CliColumn.At("LastSequenceNumber", "lastSequenceNumber"),
        CliColumn.At("LastEnqueuedTime", "lastEnqueuedTime"),
        CliColumn.At("Empty", "isEmpty"),
    ];

    private static readonly CliColumn[] s_checkpointColumns = [CliColumn.At("Partition", "partition"), CliColumn.At("Offset", "offset")];

    public static Command Monitor()
    {
        var device = HubOptions.OptionalDeviceId("Only this device's events.");
        var module = HubOptions.OptionalModuleId("Only this module's events.");
        var group = ConsumerGroupOption();
        var from = HubOptions.Text("--from", "Where to start: latest (default), earliest, offset:{n} or time:{ISO 8601}.", "latest");
        var timeout = new Option<int>("--timeout", "--to") { Description = "Stop after this many seconds (default 0: until Ctrl+C)." };
        var maxEvents = new Option<int?>("--max-events") { Description = "Stop after printing this many events." };
        return CliCommand.Create("monitor-events", "Prints the hub's telemetry as it arrives, one JSON event a line, until Ctrl+C, --timeout or --max-events.", async (session, ct) =>
        {
            var start = session.Get(from)!;
            if (!IsPosition(start))
            {
                throw new CliUsageException("--from is latest, earliest, offset:{n} or time:{ISO 8601}.");
            }

            if (session.Get(timeout) < 0 || session.Get(maxEvents) is < 1)
            {
                throw new CliUsageException("--timeout is 0 or more seconds, --max-events at least 1.");
            }

            var filter = new EventFilter(session.Get(device), session.Get(module));
            var partitions = await PartitionIdsAsync(session, ct);
            var query = $"?consumerGroup={HubPaths.Escape(session.Get(group)!)}&from={HubPaths.Escape(start)}";
            await session.Console.Error.WriteLineAsync($"Monitoring {partitions.Count} partitions of {session.HubLogin().HostName} from {start}; Ctrl+C stops.");
            var printed = await EventStream.PrintAsync(session, partitions, query, filter, session.Get(maxEvents), TimeSpan.FromSeconds(session.Get(timeout)), ct);
            await session.Console.Error.WriteLineAsync($"{printed} events.");
            return 0;
        }, device, module, group, from, timeout, maxEvents);
    }

    public static Command Events() => CliCommand.Group("events", "The hub's event endpoint and its recent lifecycle events.", Partitions(), ActivityCommands.Lifecycle());

    public static Command ConsumerGroup() => CliCommand.Group(
        "consumer-group",
        "A consumer group's position in the event endpoint.",
        CliCommand.Group("checkpoint", "Where a consumer group has processed to, per partition.", CheckpointShow(), CheckpointSet()));

    private static Command Partitions() => CliCommand.Create("partitions", "Lists the telemetry partitions with their offsets and last enqueued time.", async (session, ct) =>
    {
        session.Console.Write(HubResults.Values(await session.Hub.GetAsync("/messages/events/partitions", ct)), session.Format, s_partitionColumns);
        return 0;
    });

    private static Command CheckpointShow()
    {
        var group = ConsumerGroupOption();
        var partition = new Option<int?>("--partition", "-p") { Description = "One partition (default: every one)." };
        return CliCommand.Create("show", "Shows a consumer group's checkpoints.", async (session, ct) =>
        {
            var partitions = session.Get(partition) is { } one ? [one.ToString(CultureInfo.InvariantCulture)] : await PartitionIdsAsync(session, ct);
            var checkpoints = new JsonArray();
            foreach (var p in partitions)
            {
                var checkpoint = await session.Hub.GetAsync(CheckpointPath(p, session.Get(group)!), ct);
                checkpoints.Add(new JsonObject { ["partition"] = p, ["offset"] = checkpoint?["offset"]?.DeepClone() });
            }

            session.Console.Write(checkpoints, session.Format, s_checkpointColumns);
            return 0;
        }, group, partition);
    }

    private static Command CheckpointSet()
    {
        var group = ConsumerGroupOption();
        var partition = new Option<int>("--partition", "-p") { Description = "The partition.", Required = true };
        var offset = new Option<long>("--offset") { Description = "The offset of the last event the group processed.", Required = true };
        return CliCommand.Create("set", "Stores a consumer group's checkpoint on a partition.", async (session, ct) =>
        {
            var p = session.Get(partition).ToString(CultureInfo.InvariantCulture);
            await session.Hub.PutAsync(CheckpointPath(p, session.Get(group)!), new JsonObject { ["offset"] = session.Get(offset) }, cancellationToken: ct);
            session.Console.Write(new JsonObject { ["partition"] = p, ["offset"] = session.Get(offset) }, session.Format, s_checkpointColumns);
            return 0;
        }, group, partition, offset);
    }

    private static Option<string> ConsumerGroupOption()
    {
        var option = HubOptions.Text("--consumer-group", $"The consumer group (default {DefaultGroup}).", DefaultGroup);
        option.Aliases.Add("--cg");
        return option;
    }

    private static string CheckpointPath(string partition, string group) =>
        $"/messages/events/partitions/{HubPaths.Escape(partition)}/checkpoints/{HubPaths.Escape(group)}";

    private static async Task<List<string>> PartitionIdsAsync(CliSession session, CancellationToken ct) =>
        [.. HubResults.Values(await session.Hub.GetAsync("/messages/events/partitions", ct)).Select(p => CliJson.At(p, "partitionId")).OfType<string>()];

    private static bool IsPosition(string from) =>
        from is "latest" or "earliest"
        || (from.StartsWith("offset:", StringComparison.Ordinal) && long.TryParse(from[7..], NumberStyles.None, CultureInfo.InvariantCulture, out _))
        || (from.StartsWith("time:", StringComparison.Ordinal) && DateTimeOffset.TryParse(from[5..], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _));
}

/// <summary>Which events <c>monitor-events</c> prints: all, or one device's (and module's).</summary>
internal sealed record EventFilter(string? DeviceId, string? ModuleId)
{
    public bool Matches(JsonObject line) =>
        (DeviceId is null || CliJson.At(line, "deviceId") == DeviceId) && (ModuleId is null || CliJson.At(line, "moduleId") == ModuleId);
}
