using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using DeviceFabric.Streams;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Protocol;

namespace DeviceFabric.Tests.Telemetry;

/// <summary>
/// The event endpoint over HTTPS for backends that are not .NET: the partitions, a <c>text/event-stream</c> per partition
/// from a consumer group's checkpoint, <c>Last-Event-ID</c>, an offset or a time, the checkpoints, and IoT Hub's errors.
/// The node is shared by the class's tests (run one after another), so each reads its own device's events.
/// </summary>
public sealed class EventsEndpointTests(NodeFixture fixture) : IClassFixture<NodeFixture>, IDisposable
{
    // Both from the fixture's node; the methods use these fields, so the constructor parameter is not captured too.
    private readonly TestNode _node = fixture.Node;
    private readonly HttpClient _http = fixture.Node.CreateHttpClient();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Partitions_AreListedAsEventHubsDescribesThem()
    {
        var deviceId = await PublishAsync("parts", ("n=1", "{}"), ("n=2", "{}"));

        var partitions = (await ApiAssert.JsonAsync(await _http.GetAsync("/messages/events/partitions", Ct))).GetProperty("value").EnumerateArray().ToList();

        Assert.Equal(Enumerable.Range(0, 8).Select(p => p.ToString(CultureInfo.InvariantCulture)), partitions.Select(p => p.GetProperty("partitionId").GetString()));
        var mine = partitions[FabricStreams.TelemetryPartitionOf(deviceId)];
        Assert.False(mine.GetProperty("isEmpty").GetBoolean());
        Assert.True(mine.GetProperty("lastSequenceNumber").GetInt64() >= 2);
        Assert.InRange(mine.GetProperty("firstSequenceNumber").GetInt64(), 1L, mine.GetProperty("lastSequenceNumber").GetInt64() - 1);
        Assert.True(mine.GetProperty("lastOffset").GetInt64() > mine.GetProperty("firstOffset").GetInt64());
        Assert.True(mine.GetProperty("lastEnqueuedTime").TryGetDateTimeOffset(out _));

        // An empty partition has no offsets at all (null fields are left out), a non-empty one has both.
        Assert.All(partitions, p => Assert.Equal(p.GetProperty("isEmpty").GetBoolean(), !Has(p, "lastOffset")));
    }

    [Fact]
    public async Task Stream_GivesEachEventsOffsetAndMessage_BodyAsTextForJson_AndBase64Otherwise()
    {
        byte[] binary = [0x00, 0xFF, 0xFE, 0x80, 0x7F, 0x0A];
        var deviceId = await PublishAsync(
            "sse",
            ("%24.mid=m-json&%24.ct=application%2Fjson&%24.ce=utf-8&unit=celsius", Encoding.UTF8.GetBytes("""{"t":21.5}""")),
            ("%24.mid=m-bin&%24.ct=application%2Foctet-stream", binary));

        var events = await ReadMineAsync(deviceId);

        Assert.Equal(2, events.Count);
        var (json, raw) = (events[0], events[1]);
        Assert.All(events, e => Assert.Equal("message", e.Event));
        Assert.All(events, e => Assert.Equal(e.Id.ToString(CultureInfo.InvariantCulture), e.SystemProperties.GetProperty("x-opt-offset").GetString()));
        Assert.Equal(json.SequenceNumber + 1, raw.SequenceNumber);
        Assert.True(raw.Id > json.Id);

        Assert.Equal("""{"t":21.5}""", json.Data.GetProperty("body").GetString());
        Assert.False(Has(json.Data, "bodyBase64"));
        Assert.Equal("m-json", json.SystemProperties.GetProperty("message-id").GetString());
        Assert.Equal("application/json", json.SystemProperties.GetProperty("content-type").GetString());
        Assert.Equal("celsius", json.Data.GetProperty("properties").GetProperty("unit").GetString());
        Assert.True(json.SystemProperties.GetProperty("iothub-enqueuedtime").TryGetDateTimeOffset(out _));
        Assert.True(json.SystemProperties.GetProperty("x-opt-enqueued-time").TryGetDateTimeOffset(out _));

        Assert.Equal(binary, Convert.FromBase64String(raw.Data.GetProperty("bodyBase64").GetString()!));
        Assert.False(Has(raw.Data, "body"));
        Assert.Equal("m-bin", raw.SystemProperties.GetProperty("message-id").GetString());
    }

    [Fact]
    public async Task Checkpoint_PutThenGet_AndAStreamWithoutFrom_StartsRightAfterIt()
    {
        var deviceId = await PublishAsync("ckpt", [.. Enumerable.Range(1, 6).Select(n => ($"n={n}", "{}"))]);
        var mine = await ReadMineAsync(deviceId);
        var partition = FabricStreams.TelemetryPartitionOf(deviceId);
        var group = "rest-" + Guid.NewGuid().ToString("N")[..8];
        var checkpoint = $"/messages/events/partitions/{partition}/checkpoints/{group}";

        Assert.False(Has(await ApiAssert.JsonAsync(await _http.GetAsync(checkpoint, Ct)), "offset"));
        using var put = await _http.PutAsync(checkpoint, Json($$"""{"offset":{{mine[2].Id}}}"""), Ct);
        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        Assert.Equal(mine[2].Id, (await ApiAssert.JsonAsync(await _http.GetAsync(checkpoint, Ct))).GetProperty("offset").GetInt64());

        var resumed = await EventStream.ReadAsync(_http, $"/messages/events/partitions/{partition}?consumerGroup={group}&maxEvents=3");
        Assert.Equal(mine.Skip(3).Select(e => e.Id), resumed.Select(e => e.Id));

        // Reading is not checkpointing, and a checkpoint belongs to its group and partition only.
        Assert.Equal(mine[2].Id, (await ApiAssert.JsonAsync(await _http.GetAsync(checkpoint, Ct))).GetProperty("offset").GetInt64());
        var other = $"/messages/events/partitions/{(partition + 1) % 8}/checkpoints/{group}";
        Assert.False(Has(await ApiAssert.JsonAsync(await _http.GetAsync(other, Ct)), "offset"));
    }

    [Fact]
    public async Task LastEventId_ResumesAfterThatOffset_FromOffset_StartsAtIt_AndFromWins()
    {
        var deviceId = await PublishAsync("resume", ("n=1", "{}"), ("n=2", "{}"), ("n=3", "{}"));
        var mine = await ReadMineAsync(deviceId);
        var stream = $"/messages/events/partitions/{FabricStreams.TelemetryPartitionOf(deviceId)}";

        var afterFirst = await EventStream.ReadAsync(_http, $"{stream}?maxEvents=2", lastEventId: mine[0].Id);
        Assert.Equal([mine[1].Id, mine[2].Id], afterFirst.Select(e => e.Id));
        var atSecond = await EventStream.ReadAsync(_http, $"{stream}?from=offset:{mine[1].Id}&maxEvents=1");
        Assert.Equal(mine[1].Id, Assert.Single(atSecond).Id);
        var explicitFrom = await EventStream.ReadAsync(_http, $"{stream}?from=offset:{mine[0].Id}&maxEvents=1", lastEventId: mine[1].Id);
        Assert.Equal(mine[0].Id, Assert.Single(explicitFrom).Id);
    }

    [Fact]
    public async Task FromTime_StartsAtTheFirstEventEnqueuedAtOrAfterIt()
    {
        var deviceId = await PublishAsync(
            "time", ("batch=1", "{}"), ("batch=1", "{}"), ("batch=2", "{}"), ("batch=2", "{}"));
        var mine = await ReadMineAsync(deviceId);

        // The fabric's own enqueued time of batch 2's first message, sent in its ISO 8601 form.
        var cutText = mine[2].SystemProperties.GetProperty("x-opt-enqueued-time").GetString()!;
        var cut = DateTimeOffset.Parse(cutText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var expected = mine.SkipWhile(e => EnqueuedTime(e) < cut).ToList();
        var fromTime = await EventStream.ReadAsync(
            _http, $"/messages/events/partitions/{FabricStreams.TelemetryPartitionOf(deviceId)}?from={Uri.EscapeDataString("time:" + cutText)}&maxEvents={expected.Count}");

        Assert.Equal(expected.Select(e => e.Id), fromTime.Select(e => e.Id));
        Assert.Equal([mine[2].Id, mine[3].Id], fromTime.Where(e => e.Property("batch") == "2").Select(e => e.Id));
        Assert.DoesNotContain(fromTime, e => EnqueuedTime(e) < cut);
    }

    [Theory]
    [InlineData("/messages/events/partitions/0?from=nonsense")]
    [InlineData("/messages/events/partitions/0?from=offset:-3")]
    [InlineData("/messages/events/partitions/0?from=time:yesterday")]
    [InlineData("/messages/events/partitions/8")]
    [InlineData("/messages/events/partitions/0?consumerGroup=bad%20group")]
    [InlineData("/messages/events/partitions/0?maxEvents=0")]
    [InlineData("/messages/events/partitions/8/checkpoints/$Default")]
    [InlineData("/messages/events/partitions/0/checkpoints/bad%20group")]
    public async Task BadRequests_Are400_WithIoTHubsError(string path) =>
        await ApiAssert.ErrorAsync(await _http.GetAsync(path, Ct), HttpStatusCode.BadRequest, "ArgumentInvalid", 400004);

    [Fact]
    public async Task LastEventId_ThatIsNoOffset_Is400()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/messages/events/partitions/0");
        request.Headers.TryAddWithoutValidation("Last-Event-ID", "not-an-offset");
        await ApiAssert.ErrorAsync(await _http.SendAsync(request, Ct), HttpStatusCode.BadRequest, "ArgumentInvalid", 400004);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"offset":null}""")]
    [InlineData("""{"offset":-1}""")]
    public async Task Checkpoint_WithoutAnOffset_Is400_AndStoresNothing(string body)
    {
        var checkpoint = "/messages/events/partitions/0/checkpoints/bad-" + Guid.NewGuid().ToString("N")[..8];
        await ApiAssert.ErrorAsync(await _http.PutAsync(checkpoint, Json(body), Ct), HttpStatusCode.BadRequest, "ArgumentInvalid", 400004);
        await ApiAssert.ErrorAsync(await _http.PutAsync("/messages/events/partitions/8/checkpoints/$Default", Json("""{"offset":0}"""), Ct), HttpStatusCode.BadRequest, "ArgumentInvalid", 400004);
        Assert.False(Has(await ApiAssert.JsonAsync(await _http.GetAsync(checkpoint, Ct)), "offset"));
    }

    [Fact]
    public async Task WithoutServiceConnect_EveryEventEndpointIs401()
    {
        using var reader = _node.CreateHttpClient(await ServiceToken.ForPolicyAsync(_node.Services, "registryRead"));
        await ApiAssert.ErrorAsync(await reader.GetAsync("/messages/events/partitions", Ct), HttpStatusCode.Unauthorized, "IotHubUnauthorizedAccess", 401002);
        await ApiAssert.ErrorAsync(await reader.GetAsync("/messages/events/partitions/0?maxEvents=1", Ct), HttpStatusCode.Unauthorized, "IotHubUnauthorizedAccess", 401002);
        await ApiAssert.ErrorAsync(await reader.GetAsync("/messages/events/partitions/0/checkpoints/$Default", Ct), HttpStatusCode.Unauthorized, "IotHubUnauthorizedAccess", 401002);
        await ApiAssert.ErrorAsync(await reader.PutAsync("/messages/events/partitions/0/checkpoints/$Default", Json("""{"offset":0}"""), Ct), HttpStatusCode.Unauthorized, "IotHubUnauthorizedAccess", 401002);
        using var anonymous = _node.CreateHttpClient(authorization: null);
        await ApiAssert.ErrorAsync(await anonymous.GetAsync("/messages/events/partitions", Ct), HttpStatusCode.Unauthorized, "IotHubUnauthorizedAccess", 401002);

        // The service policy has ServiceConnect, and that is all the event endpoint needs.
        using var service = _node.CreateHttpClient(await ServiceToken.ForPolicyAsync(_node.Services, "service"));
        await ApiAssert.JsonAsync(await service.GetAsync("/messages/events/partitions", Ct));
    }

    public void Dispose() => _http.Dispose();

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Whether a field is there with a value (the API leaves null fields out).</summary>
    private static bool Has(JsonElement json, string name) => json.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    private static DateTimeOffset EnqueuedTime(StreamedEvent e) =>
        DateTimeOffset.Parse(e.SystemProperties.GetProperty("x-opt-enqueued-time").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private Task<string> PublishAsync(string prefix, params (string Bag, string Body)[] messages) =>
        PublishAsync(prefix, [.. messages.Select(m => (m.Bag, Encoding.UTF8.GetBytes(m.Body)))]);

    /// <summary>Creates a device and publishes <paramref name="messages"/> at QoS 1, one after another: each PUBACK means stored.</summary>
    private async Task<string> PublishAsync(string prefix, params (string Bag, byte[] Body)[] messages)
    {
        var device = await _node.Client.Devices.CreateAsync($"{prefix}-{Guid.NewGuid():N}"[..20], cancellationToken: Ct);
        var (client, connected) = await MqttDevice.ConnectAsync(_node, device.DeviceId, MqttDevice.Token(device.DeviceId, device.Authentication.PrimaryKey!));
        using var _ = client;
        Assert.Equal(MqttClientConnectResultCode.Success, connected.ResultCode);
        foreach (var (bag, body) in messages)
        {
            var result = await client.PublishBinaryAsync($"devices/{device.DeviceId}/messages/events/{bag}", body, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: Ct);
            Assert.True(result.IsSuccess, $"{bag}: {result.ReasonCode}");
        }

        return device.DeviceId;
    }

    /// <summary>
    /// The device's events, from a read of its whole partition from the earliest: as many events as the partition
    /// reports, so the stream ends (nothing else publishes while a test of this class runs).
    /// </summary>
    private async Task<List<StreamedEvent>> ReadMineAsync(string deviceId)
    {
        var partition = FabricStreams.TelemetryPartitionOf(deviceId);
        var info = (await ApiAssert.JsonAsync(await _http.GetAsync("/messages/events/partitions", Ct))).GetProperty("value")[partition];
        var count = info.GetProperty("lastSequenceNumber").GetInt64() - info.GetProperty("firstSequenceNumber").GetInt64() + 1;
        var all = await EventStream.ReadAsync(_http, $"/messages/events/partitions/{partition}?from=earliest&maxEvents={count}");
        Assert.Equal(count, all.Count);
        return [.. all.Where(e => e.DeviceId == deviceId)];
    }
}

/// <summary>One server-sent event of the event endpoint: <c>id</c> (the offset), <c>event</c> and the <c>data</c> JSON.</summary>
internal sealed record StreamedEvent(long Id, string? Event, JsonElement Data)
{
    public JsonElement SystemProperties => Data.GetProperty("systemProperties");

    public string? DeviceId => SystemProperties.GetProperty("iothub-connection-device-id").GetString();

    public long SequenceNumber => SystemProperties.GetProperty("x-opt-sequence-number").GetInt64();

    public string? Property(string name) => Data.GetProperty("properties").TryGetProperty(name, out var value) ? value.GetString() : null;
}

/// <summary>Reads a <c>text/event-stream</c> of the event endpoint to its end (the caller bounds it with <c>maxEvents</c>).</summary>
internal static class EventStream
{
    public static async Task<List<StreamedEvent>> ReadAsync(HttpClient http, string pathAndQuery, long? lastEventId = null)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(30));
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        if (lastEventId is { } last)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", last.ToString(CultureInfo.InvariantCulture));
        }

        string text;
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token);
            text = await response.Content.ReadAsStringAsync(limit.Token);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{pathAndQuery}: {response.StatusCode} {text}");
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            // The stream waits at the tail for events that never come: fewer were there than maxEvents asked for.
            throw new TimeoutException($"{pathAndQuery} did not end within 30 s");
        }

        var events = new List<StreamedEvent>();
        foreach (var block in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            long? id = null;
            string? name = null;
            string? data = null;
            foreach (var line in block.Split('\n'))
            {
                // Lines starting with ':' are comments that keep an idle stream open; they carry no event.
                if (line.StartsWith("id: ", StringComparison.Ordinal))
                {
                    id = long.Parse(line.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    name = line[7..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data = line[6..];
                }
            }

            if (data is not null)
            {
                using var json = JsonDocument.Parse(data);
                events.Add(new StreamedEvent(id ?? throw new InvalidDataException($"An event without an id: {block}"), name, json.RootElement.Clone()));
            }
        }

        return events;
    }
}
