using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using DeviceFabric.RestClient;

namespace DeviceFabric.Cli.Commands.Hub;

/// <summary>
/// Reads every partition's server-sent event stream at once and prints their events merged, in the order they
/// arrive (each partition's own order kept), one compact JSON object a line so a script can read them as they come.
/// </summary>
internal static class EventStream
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Prints events until <paramref name="maxEvents"/>, <paramref name="timeout"/> (zero: none) or cancellation; returns how many.</summary>
    public static async Task<int> PrintAsync(
        CliSession session, IReadOnlyList<string> partitions, string query, EventFilter filter, int? maxEvents, TimeSpan timeout, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (timeout > TimeSpan.Zero)
        {
            stop.CancelAfter(timeout);
        }

        var channel = Channel.CreateUnbounded<JsonObject>(new UnboundedChannelOptions { SingleReader = true });
        var readers = partitions.Select(p => ReadAsync(session.Hub, p, query, channel.Writer, stop.Token)).ToList();
        var allRead = CompleteWhenReadAsync(readers, channel.Writer);
        var printed = 0;
        try
        {
            await foreach (var line in channel.Reader.ReadAllAsync(stop.Token))
            {
                if (!filter.Matches(line))
                {
                    continue;
                }

                await session.Console.Output.WriteLineAsync(line.ToJsonString());
                await session.Console.Output.FlushAsync(CancellationToken.None);
                if (++printed >= (maxEvents ?? int.MaxValue))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Ctrl+C or --timeout: the end a monitor is meant to have.
        }

        await stop.CancelAsync();
        await allRead;
        return printed;
    }

    private static async Task CompleteWhenReadAsync(List<Task> readers, ChannelWriter<JsonObject> writer)
    {
        await Task.WhenAll(readers);
        writer.TryComplete();
    }

    private static async Task ReadAsync(FabricRestClient hub, string partition, string query, ChannelWriter<JsonObject> writer, CancellationToken ct)
    {
        try
        {
            await foreach (var item in hub.StreamAsync($"/messages/events/partitions/{HubPaths.Escape(partition)}{query}", cancellationToken: ct))
            {
                if (item.Event is null or "message")
                {
                    await writer.WriteAsync(Line(partition, item), ct);
                }
            }
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            // Stopping: a read cut short ends however the stream happens to end.
        }
        catch (Exception ex) when (ex is FabricRestException or HttpRequestException)
        {
            // The printing loop sees the refusal (a missing right, a bad position) at once, and the command reports it.
            writer.TryComplete(ex);
        }
        catch (IOException ex)
        {
            writer.TryComplete(new HttpRequestException($"the event stream of partition {partition} broke: {ex.Message}", ex));
        }
    }

    /// <summary>One event as the monitor prints it: who sent it, when, its properties and its body (JSON when it is JSON).</summary>
    public static JsonObject Line(string partition, ServerSentEvent item)
    {
        var message = JsonNode.Parse(item.Data) as JsonObject ?? [];
        var system = message["systemProperties"] as JsonObject ?? [];
        var line = new JsonObject
        {
            ["deviceId"] = CliJson.At(system, "iothub-connection-device-id"),
        };
        if (CliJson.At(system, "iothub-connection-module-id") is { } module)
        {
            line["moduleId"] = module;
        }

        line["enqueuedTime"] = CliJson.At(system, "x-opt-enqueued-time");
        line["partition"] = partition;
        line["offset"] = item.Id;
        line["properties"] = message["properties"]?.DeepClone() ?? new JsonObject();
        line["systemProperties"] = system.DeepClone();
        var text = CliJson.At(message, "body") ?? Decode(CliJson.At(message, "bodyBase64"));
        if (text is not null)
        {
            line["body"] = AsJson(text) ?? JsonValue.Create(text);
        }
        else
        {
            line["bodyBase64"] = CliJson.At(message, "bodyBase64");
        }

        return line;
    }

    private static string? Decode(string? base64)
    {
        if (base64 is null)
        {
            return null;
        }

        try
        {
            return s_strictUtf8.GetString(Convert.FromBase64String(base64));
        }
        catch (Exception ex) when (ex is DecoderFallbackException or FormatException)
        {
            return null; // bytes that are not text stay base64
        }
    }

    private static JsonNode? AsJson(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
