using System.Globalization;
using System.Text;
using System.Text.Json;
using DeviceFabric.Api.Http;
using DeviceFabric.Api.Security;
using DeviceFabric.Contracts;
using DeviceFabric.Contracts.Security;
using DeviceFabric.Contracts.Telemetry;
using DeviceFabric.Security;
using DeviceFabric.Streams;
using DeviceFabric.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DeviceFabric.Api.Telemetry;

/// <summary>
/// The hub's built-in event endpoint over HTTPS, for backends that are not .NET: its partitions, a server-sent event
/// stream of one partition for a consumer group, and the group's checkpoints. ServiceConnect is needed, as IoT Hub's
/// event endpoint needs it.
/// </summary>
internal static class EventsEndpoints
{
    private static readonly TimeSpan TailWait = TimeSpan.FromSeconds(10);
    private const int ReadCount = 256;

    public static void MapTelemetryEvents(this RouteGroupBuilder api)
    {
        api.MapGet("/messages/events/partitions", PartitionsAsync).WithTags("Telemetry").WithName("ListEventPartitions")
            .WithSummary("Lists the hub's telemetry partitions with their first and last offsets and last enqueued time")
            .RequireRights(AccessRights.ServiceConnect);
        api.MapGet("/messages/events/partitions/{partition}", StreamAsync).WithTags("Telemetry").WithName("ReadEventPartition")
            .WithSummary("Streams a partition's events as text/event-stream (id: offset, data: the message) for a consumer group, from= earliest, latest, offset:{n} or time:{ISO 8601}; default the group's checkpoint, else earliest")
            .Produces(StatusCodes.Status200OK, typeof(TelemetryEventJson), "text/event-stream")
            .RequireRights(AccessRights.ServiceConnect);
        api.MapGet("/messages/events/partitions/{partition}/checkpoints/{consumerGroup}", GetCheckpointAsync).WithTags("Telemetry")
            .WithName("GetEventCheckpoint").WithSummary("Reads a consumer group's checkpoint on a partition")
            .RequireRights(AccessRights.ServiceConnect);
        api.MapPut("/messages/events/partitions/{partition}/checkpoints/{consumerGroup}", PutCheckpointAsync).WithTags("Telemetry")
            .WithName("PutEventCheckpoint").WithSummary("Stores a consumer group's checkpoint on a partition ({\"offset\":n}, the last event it processed)")
            .DocumentsBody<CheckpointJson>("application/json").RequireRights(AccessRights.ServiceConnect);
    }

    private static async Task<Ok<ValueListJson<TelemetryPartitionJson>>> PartitionsAsync(string? endpoint, HttpContext context, ITelemetryLog log, IGrainFactory grains)
    {
        var hub = await LogOfAsync(RequireRightsFilter.HubOf(context), endpoint, grains, context.RequestAborted);
        var partitions = new List<TelemetryPartitionJson>(FabricStreams.TelemetryPartitions);
        for (var p = 0; p < FabricStreams.TelemetryPartitions; p++)
        {
            partitions.Add(TelemetryMapper.ToJson(await log.GetPartitionAsync(hub, p, context.RequestAborted)));
        }

        return TypedResults.Ok(new ValueListJson<TelemetryPartitionJson> { Value = partitions });
    }

    private static async Task StreamAsync(
        int partition, string? consumerGroup, string? from, int? maxEvents, string? endpoint, HttpContext context, ITelemetryLog log, IGrainFactory grains, TelemetryInstruments instruments)
    {
        var hub = await LogOfAsync(RequireRightsFilter.HubOf(context), endpoint, grains, context.RequestAborted);
        ConsumerGroups.Partition(partition);
        var group = grains.GetGrain<IConsumerGroupGrain>(ConsumerGroups.Key(hub, consumerGroup ?? ConsumerGroups.Default));
        if (maxEvents is < 1)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "maxEvents, when given, is at least 1.");
        }

        var position = await StartAsync(from, context.Request.Headers["Last-Event-ID"].ToString(), partition, group, context.RequestAborted);
        // The first read is made before the response starts, so a bad offset is still a 400 with IoT Hub's error body.
        // The built-in endpoint is read through the reader grain, which shows what the hub's routes send there.
        var builtIn = TelemetryLogNames.HubOf(hub) == hub;
        Task<TelemetryReadResult> ReadAsync(EventPosition from, TimeSpan wait) => builtIn
            ? grains.GetGrain<ITelemetryReaderGrain>(hub).ReadAsync(partition, from, ReadCount, wait, context.RequestAborted)
            : TelemetryReads.ReadAsync(log, hub, partition, from, ReadCount, wait, context.RequestAborted);

        var read = await ReadAsync(position, TimeSpan.Zero);
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
        await context.Response.StartAsync(context.RequestAborted);
        var left = maxEvents ?? int.MaxValue;
        try
        {
            while (!context.RequestAborted.IsCancellationRequested)
            {
                foreach (var item in read.Events.Take(left))
                {
                    await WriteEventAsync(context.Response, item, context.RequestAborted);
                }

                left -= Math.Min(left, read.Events.Count);
                instruments.Read("consumer-group", read.Events.Count);
                if (left == 0)
                {
                    return;
                }

                if (read.Events.Count == 0)
                {
                    // A comment line keeps proxies and clients from closing an idle stream.
                    await context.Response.WriteAsync(": waiting\n\n", context.RequestAborted);
                }

                await context.Response.Body.FlushAsync(context.RequestAborted);
                read = await ReadAsync(read.Next, TailWait);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away: the stream simply ends.
        }
    }

    private static async Task<Ok<CheckpointJson>> GetCheckpointAsync(int partition, string consumerGroup, string? endpoint, HttpContext context, IGrainFactory grains)
    {
        var hub = await LogOfAsync(RequireRightsFilter.HubOf(context), endpoint, grains, context.RequestAborted);
        ConsumerGroups.Partition(partition);
        var checkpoints = await grains.GetGrain<IConsumerGroupGrain>(ConsumerGroups.Key(hub, consumerGroup)).GetCheckpointsAsync(context.RequestAborted);
        return TypedResults.Ok(new CheckpointJson { Offset = checkpoints.TryGetValue(partition, out var offset) ? offset : null });
    }

    private static async Task<NoContent> PutCheckpointAsync(int partition, string consumerGroup, string? endpoint, HttpContext context, IGrainFactory grains)
    {
        var hub = await LogOfAsync(RequireRightsFilter.HubOf(context), endpoint, grains, context.RequestAborted);
        var body = await JsonBody.ReadAsync(context, ContractsJsonContext.Default.CheckpointJson, 1024);
        if (body.Offset is not { } offset)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "A checkpoint needs an offset.");
        }

        await grains.GetGrain<IConsumerGroupGrain>(ConsumerGroups.Key(hub, consumerGroup)).CheckpointAsync(ConsumerGroups.Partition(partition), offset, context.RequestAborted);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// The log <c>endpoint=</c> names: the built-in one (<c>events</c>, the default), a log endpoint of the hub's routes,
    /// or <c>$deadletter</c>. Consumer groups are kept per log.
    /// </summary>
    private static async Task<string> LogOfAsync(string hub, string? endpoint, IGrainFactory grains, CancellationToken cancellationToken)
    {
        switch (endpoint)
        {
            case null or "" or TelemetryLogNames.BuiltIn:
                return hub;
            case "$deadletter":
                return TelemetryLogNames.Of(hub, TelemetryLogNames.DeadLetter);
        }

        // Only the hub's log endpoints are logs: any other name would open (and leave behind) a log of its own.
        var settings = await grains.GetGrain<DeviceFabric.Routing.IRoutingGrain>(hub).GetAsync(cancellationToken);
        return settings.Endpoints.Any(e => e.Kind == DeviceFabric.Routing.RoutingEndpointKind.Log && e.Name == endpoint)
            ? TelemetryLogNames.Of(hub, endpoint)
            : throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"endpoint is events, $deadletter or one of the hub's log endpoints; the hub has no log endpoint '{endpoint}'.");
    }

    /// <summary>An explicit <c>from</c>, else where a reconnecting client left off (<c>Last-Event-ID</c>), else after the group's checkpoint, else the earliest.</summary>
    private static async Task<EventPosition> StartAsync(string? from, string lastEventId, int partition, IConsumerGroupGrain group, CancellationToken cancellationToken)
    {
        if (from is not null)
        {
            return EventPosition.TryParse(from, out var position)
                ? position
                : throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "from is earliest, latest, offset:{n} or time:{ISO 8601}.");
        }

        if (lastEventId.Length > 0)
        {
            return long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out var last)
                ? EventPosition.AfterOffset(last)
                : throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "Last-Event-ID is an event's offset.");
        }

        var checkpoints = await group.GetCheckpointsAsync(cancellationToken);
        return checkpoints.TryGetValue(partition, out var offset) ? EventPosition.AfterOffset(offset) : EventPosition.Earliest;
    }

    private static async Task WriteEventAsync(HttpResponse response, TelemetryEvent item, CancellationToken cancellationToken)
    {
        // JSON never holds a raw line break, so the data fits on one "data:" line.
        var data = JsonSerializer.SerializeToUtf8Bytes(TelemetryMapper.ToJson(item), ContractsJsonContext.Default.TelemetryEventJson);
        await response.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"id: {item.Offset}\nevent: message\ndata: "), cancellationToken);
        await response.Body.WriteAsync(data, cancellationToken);
        await response.Body.WriteAsync(Encoding.ASCII.GetBytes("\n\n"), cancellationToken);
    }
}
