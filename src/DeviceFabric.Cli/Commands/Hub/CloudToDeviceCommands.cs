using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace DeviceFabric.Cli.Commands.Hub;

/// <summary>
/// <c>c2d-message</c>: cloud-to-device messages over REST (where IoT Hub uses AMQP): send, purge a device's queue, and
/// take the delivery feedback the senders asked for.
/// </summary>
internal static class CloudToDeviceCommands
{
    private static readonly CliColumn[] s_sentColumns = [CliColumn.At("DeviceId", "deviceId"), CliColumn.At("MessageId", "messageId")];

    private static readonly CliColumn[] s_feedbackColumns =
    [
        CliColumn.At("OriginalMessageId", "originalMessageId"),
        CliColumn.At("DeviceId", "deviceId"),
        CliColumn.At("StatusCode", "statusCode"),
        CliColumn.At("EnqueuedTime", "enqueuedTimeUtc"),
    ];

    public static Command Group() => CliCommand.Group("c2d-message", "Cloud-to-device messages.", Send(), Purge(), Feedback());

    private static Command Send()
    {
        var device = HubOptions.DeviceId();
        var data = HubOptions.Text("--data", "The message body (text; @file for a file's bytes).", string.Empty);
        var props = HubOptions.Text("--props", "Application properties: a=b;c=d.");
        var ack = HubOptions.OptionalChoice("--ack", "The feedback to ask for: full, positive, negative or none.", "full", "positive", "negative", "none");
        var messageId = HubOptions.Text("--message-id", "The message id (default: a new GUID).");
        var correlationId = HubOptions.Text("--correlation-id", "The correlation id.");
        var contentType = HubOptions.Text("--content-type", "The body's content type (application/json...).");
        var contentEncoding = HubOptions.Text("--content-encoding", "The body's encoding (utf-8...).");
        var expiry = new Option<int?>("--expiry") { Description = "Seconds the message lives in the queue (default: the hub's, 1 hour)." };
        return CliCommand.Create("send", "Queues a message for a device.", async (session, ct) =>
        {
            var id = session.Get(messageId) ?? Guid.NewGuid().ToString();
            using var content = new ByteArrayContent(Body(session.Get(data)!));
            var headers = content.Headers;
            if (session.Get(contentType) is { } type)
            {
                headers.ContentType = MediaTypeHeaderValue.TryParse(type, out var media) ? media : throw new CliUsageException($"--content-type '{type}' is not a media type.");
                headers.TryAddWithoutValidation("iothub-contenttype", type);
            }

            // The node reads IoT Hub's iothub-* headers; custom headers may travel with the content.
            Add(headers, "iothub-messageid", id);
            Add(headers, "iothub-correlationid", session.Get(correlationId));
            Add(headers, "iothub-ack", session.Get(ack));
            Add(headers, "iothub-contentencoding", session.Get(contentEncoding));
            if (session.Get(expiry) is { } seconds)
            {
                Add(headers, "iothub-expiry", DateTimeOffset.UtcNow.AddSeconds(seconds).ToString("O", CultureInfo.InvariantCulture));
            }

            foreach (var (name, value) in HubResults.Properties(session.Get(props), "--props"))
            {
                Add(headers, "iothub-app-" + name, value);
            }

            await session.Hub.SendContentAsync(HttpMethod.Post, HubPaths.Device(session.Get(device)!) + "/messages/deviceBound", content, null, ct);
            session.Console.Write(new JsonObject { ["deviceId"] = session.Get(device), ["messageId"] = id }, session.Format, s_sentColumns);
            return 0;
        }, device, data, props, ack, messageId, correlationId, contentType, contentEncoding, expiry);
    }

    private static Command Purge()
    {
        var device = HubOptions.DeviceId();
        return CliCommand.Create("purge", "Empties a device's queue of cloud-to-device messages.", async (session, ct) =>
        {
            var result = await session.Hub.SendAsync(HttpMethod.Delete, HubPaths.Device(session.Get(device)!) + "/commands", null, null, ct);
            session.Console.Write(result.Body, session.Format, CliColumn.At("DeviceId", "deviceId"), CliColumn.At("Purged", "totalMessagesPurged"));
            return 0;
        }, device);
    }

    private static Command Feedback()
    {
        var max = new Option<int>("--max") { Description = "At most this many records (each is handed out once).", DefaultValueFactory = _ => 100 };
        return CliCommand.Create("feedback", "Takes the pending delivery feedback (Success, Expired, DeliveryCountExceeded, Purged).", async (session, ct) =>
        {
            var records = await session.Hub.GetAsync($"/messages/serviceBound/feedback?max={session.Get(max)}", ct);
            session.Console.Write(records, session.Format, s_feedbackColumns);
            return 0;
        }, max);
    }

    private static byte[] Body(string data)
    {
        if (!data.StartsWith('@'))
        {
            return Encoding.UTF8.GetBytes(data);
        }

        var path = data[1..];
        return File.Exists(path) ? File.ReadAllBytes(path) : throw new CliUsageException($"--data: the file {path} does not exist.");
    }

    private static void Add(HttpContentHeaders headers, string name, string? value)
    {
        if (value is not null && !headers.TryAddWithoutValidation(name, value))
        {
            throw new CliUsageException($"'{name}: {value}' cannot be sent as a header.");
        }
    }
}
