using System.Globalization;
using System.Text;
using DeviceFabric.Client;
using DeviceFabric.Streams;
using DeviceFabric.Telemetry;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Protocol;

namespace DeviceFabric.Tests.Telemetry;

/// <summary>
/// The SDK's consumer groups on the durable telemetry log: each group reads at its own pace and resumes after its own
/// checkpoints; reads by time, the partitions' description, and messages coming back exactly as devices sent them.
/// The node is shared by the class's tests (run one after another), so reads pass over other tests' devices.
/// </summary>
public sealed class ConsumerGroupTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoGroups_AtDifferentCheckpoints_EachResumesAfterItsOwn_WithoutGapsOrRepeats()
    {
        const int PerDevice = 10;
        var ids = IdsOnOnePartition("cg", 3);
        using var first = await ConnectAsync(ids[0]);
        using var second = await ConnectAsync(ids[1]);
        using var third = await ConnectAsync(ids[2]);
        ConnectedDevice[] devices = [first, second, third];
        var partition = FabricStreams.TelemetryPartitionOf(ids[0]);
        var mine = ids.ToHashSet(StringComparer.Ordinal);

        // The devices publish at once, so their messages interleave in the partition; each device's stay in its order.
        await Task.WhenAll(devices.Select(async d =>
        {
            for (var seq = 1; seq <= PerDevice; seq++)
            {
                await d.PublishAsync($"seq={seq}", $$"""{"seq":{{seq}}}""");
            }
        }));
        const int Total = PerDevice * 3;
        var (groupA, groupB) = ("a-" + Guid.NewGuid().ToString("N")[..8], "b-" + Guid.NewGuid().ToString("N")[..8]);

        // Group A, never checkpointed, starts at the earliest event; it checkpoints the first half.
        var read = await TakeAsync(t => Node.Client.Telemetry.ReadAsync(groupA, partition, cancellationToken: t), mine, Total);
        Assert.All(devices, d => Assert.Equal(Enumerable.Range(1, PerDevice), read.Where(e => e.Message.DeviceId == d.Id).Select(Seq)));
        var half = read[(Total / 2) - 1];
        await Node.Client.Telemetry.CheckpointAsync(groupA, half, Ct);

        // Group B reads every partition merged: the same events in the same order, untouched by A's checkpoint.
        var all = await TakeAsync(t => Node.Client.Telemetry.ReadAsync(groupB, cancellationToken: t), mine, Total);
        Assert.Equal(read.Select(e => e.Offset), all.Select(e => e.Offset));
        await Node.Client.Telemetry.CheckpointAsync(groupB, partition, all[4].Offset, Ct);

        // A resumes right after its checkpoint: the second half, in order, nothing of the first half again.
        var resumed = await TakeAsync(t => Node.Client.Telemetry.ReadAsync(groupA, partition, cancellationToken: t), mine, Total / 2);
        Assert.Equal(read.Skip(Total / 2).Select(e => e.Offset), resumed.Select(e => e.Offset));
        Assert.Equal(half.SequenceNumber + 1, resumed[0].SequenceNumber);

        // Each group kept its own checkpoint, and B resumes from its own (merged read, each partition from its checkpoint).
        var (partitionA, offsetA) = Assert.Single(await Node.Client.Telemetry.GetCheckpointsAsync(groupA, Ct));
        Assert.Equal((partition, half.Offset), (partitionA, offsetA));
        var (partitionB, offsetB) = Assert.Single(await Node.Client.Telemetry.GetCheckpointsAsync(groupB, Ct));
        Assert.Equal((partition, all[4].Offset), (partitionB, offsetB));
        var resumedB = await TakeAsync(t => Node.Client.Telemetry.ReadAsync(groupB, cancellationToken: t), mine, Total - 5);
        Assert.Equal(read.Skip(5).Select(e => e.Offset), resumedB.Select(e => e.Offset));
        Assert.Empty(await Node.Client.Telemetry.GetCheckpointsAsync("never-" + Guid.NewGuid().ToString("N")[..8], Ct));
    }

    [Fact]
    public async Task ReadFromAnEnqueuedTime_StartsAtTheFirstMessageEnqueuedAtOrAfterIt()
    {
        using var device = await ConnectAsync(NewId("time"));
        for (var n = 1; n <= 5; n++)
        {
            await device.PublishAsync($"batch=1&n={n}", "{}");
        }

        for (var n = 1; n <= 5; n++)
        {
            await device.PublishAsync($"batch=2&n={n}", "{}");
        }

        var partition = FabricStreams.TelemetryPartitionOf(device.Id);
        var mine = new HashSet<string>(StringComparer.Ordinal) { device.Id };
        var everything = await TakeAsync(t => Node.Client.Telemetry.ReadAsync(NewId("tg"), partition, EventPosition.Earliest, t), mine, 10);
        var batch2 = everything.Where(e => e.Message.Properties["batch"] == "2").ToList();

        // The cut is the fabric's own time for batch 2's first message, not the test's clock. Messages can share a
        // tick, so what matters is that all of batch 2 comes and nothing enqueued before the cut does.
        var cut = batch2[0].Message.EnqueuedTime;
        var fromCut = await TakeAsync(
            t => Node.Client.Telemetry.ReadAsync(NewId("tg"), partition, EventPosition.FromEnqueuedTime(cut), t),
            mine,
            taken => taken.Count(e => e.Message.Properties["batch"] == "2") == batch2.Count);
        Assert.Equal(batch2.Select(e => e.Offset), fromCut.Where(e => e.Message.Properties["batch"] == "2").Select(e => e.Offset));
        Assert.DoesNotContain(fromCut, e => e.Message.EnqueuedTime < cut);
    }

    [Fact]
    public async Task Partitions_AreEight_AndTheDevicesPartitionDescribesItsNewestMessage()
    {
        using var device = await ConnectAsync(NewId("parts"));
        for (var n = 1; n <= 3; n++)
        {
            await device.PublishAsync($"n={n}", "{}");
        }

        var partition = FabricStreams.TelemetryPartitionOf(device.Id);
        var partitions = await Node.Client.Telemetry.GetPartitionsAsync(Ct);
        Assert.Equal(Enumerable.Range(0, 8), partitions.Select(p => p.Partition));
        var info = partitions[partition];
        Assert.True(info.LastSequenceNumber >= 3, $"last sequence number {info.LastSequenceNumber}");
        Assert.NotNull(info.LastEnqueuedTime);
        Assert.NotNull(info.FirstOffset);

        // Nothing else publishes on this node meanwhile, so the partition's newest event is the device's third message.
        var sent = await TakeAsync(t => Node.Client.Telemetry.ReadAsync(NewId("pg"), partition, EventPosition.Earliest, t), [device.Id], 3);
        Assert.Equal(sent[^1].SequenceNumber, info.LastSequenceNumber);
        Assert.Equal(sent[^1].Offset, info.LastOffset);
        Assert.Equal(sent[^1].Message.EnqueuedTime, info.LastEnqueuedTime);
        Assert.InRange(info.FirstSequenceNumber, 1L, sent[0].SequenceNumber);
    }

    [Fact]
    public async Task Messages_ComeBackAsSent_InTheDevicesOrder()
    {
        using var device = await ConnectAsync(NewId("content"));
        var binary = new byte[300];
        Random.Shared.NextBytes(binary);
        binary[0] = 0xFF; // never valid UTF-8: the bytes must come back as bytes
        await device.PublishAsync("%24.mid=json-1&%24.ct=application%2Fjson&%24.ce=utf-8&unit=celsius%2Fdeg&empty=", """{"t":21.5}""");
        await device.PublishAsync("%24.mid=bin-1&%24.ct=application%2Foctet-stream&kind=raw", binary);
        for (var seq = 1; seq <= 20; seq++)
        {
            await device.PublishAsync($"seq={seq}", seq.ToString(CultureInfo.InvariantCulture));
        }

        var partition = FabricStreams.TelemetryPartitionOf(device.Id);
        var events = await TakeAsync(t => Node.Client.Telemetry.ReadAsync(NewId("rt"), partition, EventPosition.Earliest, t), [device.Id], 22);

        var json = events[0].Message;
        Assert.Equal("""{"t":21.5}"""u8.ToArray(), json.Body);
        Assert.Equal("json-1", json.SystemProperties["message-id"]);
        Assert.Equal("application/json", json.SystemProperties["content-type"]);
        Assert.Equal("utf-8", json.SystemProperties["content-encoding"]);
        Assert.Equal(device.Id, json.SystemProperties["iothub-connection-device-id"]);
        Assert.Equal("celsius/deg", json.Properties["unit"]);
        Assert.Equal(string.Empty, json.Properties["empty"]);
        Assert.Equal(device.Id, json.DeviceId);
        Assert.Null(json.ModuleId);

        var raw = events[1].Message;
        Assert.Equal(binary, raw.Body);
        Assert.Equal("bin-1", raw.SystemProperties["message-id"]);
        Assert.Equal("application/octet-stream", raw.SystemProperties["content-type"]);
        Assert.Equal("raw", Assert.Single(raw.Properties).Value);

        // The device's order is the partition's: sequence numbers and offsets rise with what it sent.
        Assert.Equal(Enumerable.Range(1, 20), events.Skip(2).Select(Seq));
        Assert.Equal(Enumerable.Range(1, 20).Select(n => n.ToString(CultureInfo.InvariantCulture)), events.Skip(2).Select(e => Encoding.UTF8.GetString(e.Message.Body)));
        Assert.All(events.Zip(events.Skip(1)), p => Assert.True(p.First.SequenceNumber < p.Second.SequenceNumber && p.First.Offset < p.Second.Offset));
        Assert.All(events, e => Assert.Equal(partition, e.Partition));
    }

    [Fact]
    public async Task ConsumerGroupsAndPartitions_TheLogDoesNotHave_AreRefused()
    {
        var badName = await Assert.ThrowsAsync<DeviceFabricServiceException>(() => Node.Client.Telemetry.CheckpointAsync("bad group", 0, 0, Ct));
        Assert.Equal(DeviceFabricErrorCode.ArgumentInvalid, badName.ErrorCode);
        var badPartition = await Assert.ThrowsAsync<DeviceFabricServiceException>(() => Node.Client.Telemetry.CheckpointAsync(NewId("g"), FabricStreams.TelemetryPartitions, 0, Ct));
        Assert.Equal(DeviceFabricErrorCode.ArgumentInvalid, badPartition.ErrorCode);
        var negative = await Assert.ThrowsAsync<DeviceFabricServiceException>(() => Node.Client.Telemetry.CheckpointAsync(NewId("g"), 0, -1, Ct));
        Assert.Equal(DeviceFabricErrorCode.ArgumentInvalid, negative.ErrorCode);
    }

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    private static int Seq(TelemetryEvent e) => int.Parse(e.Message.Properties["seq"], CultureInfo.InvariantCulture);

    /// <summary>New device ids that share one partition, so one partition's order covers all of them.</summary>
    private static List<string> IdsOnOnePartition(string prefix, int count)
    {
        var byPartition = new Dictionary<int, List<string>>();
        while (true)
        {
            var id = NewId(prefix);
            var partition = FabricStreams.TelemetryPartitionOf(id);
            if (!byPartition.TryGetValue(partition, out var ids))
            {
                ids = [];
                byPartition[partition] = ids;
            }

            ids.Add(id);
            if (ids.Count == count)
            {
                return ids;
            }
        }
    }

    private static Task<List<TelemetryEvent>> TakeAsync(Func<CancellationToken, IAsyncEnumerable<TelemetryEvent>> read, IReadOnlyCollection<string> devices, int count) =>
        TakeAsync(read, devices, taken => taken.Count == count);

    /// <summary>
    /// Reads the events of <paramref name="devices"/> until <paramref name="enough"/> holds, then stops: a read waits at
    /// the tail for ever. The deadline only bounds a failure, which the assertion then describes.
    /// </summary>
    private static async Task<List<TelemetryEvent>> TakeAsync(
        Func<CancellationToken, IAsyncEnumerable<TelemetryEvent>> read, IReadOnlyCollection<string> devices, Func<List<TelemetryEvent>, bool> enough)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(TimeSpan.FromSeconds(30));
        var taken = new List<TelemetryEvent>();
        try
        {
            await foreach (var item in read(limit.Token))
            {
                if (devices.Contains(item.Message.DeviceId))
                {
                    taken.Add(item);
                    if (enough(taken))
                    {
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !Ct.IsCancellationRequested)
        {
            // Fewer events than expected arrived in time: the assertion below says how many.
        }

        Assert.True(enough(taken), $"After 30 s the read had {taken.Count} events of the test's devices: {string.Join(", ", taken.Select(e => e.SequenceNumber))}");
        return taken;
    }

    private async Task<ConnectedDevice> ConnectAsync(string deviceId)
    {
        var device = await Node.Client.Devices.CreateAsync(deviceId, cancellationToken: Ct);
        var (client, result) = await MqttDevice.ConnectAsync(Node, device.DeviceId, MqttDevice.Token(device.DeviceId, device.Authentication.PrimaryKey!));
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        return new ConnectedDevice(device.DeviceId, client);
    }

    /// <summary>A device connected over MQTT; each publish returns once its PUBACK came, i.e. once the log stored it.</summary>
    private sealed record ConnectedDevice(string Id, IMqttClient Client) : IDisposable
    {
        public Task PublishAsync(string bag, string body) => PublishAsync(bag, Encoding.UTF8.GetBytes(body));

        public async Task PublishAsync(string bag, byte[] body)
        {
            var result = await Client.PublishBinaryAsync($"devices/{Id}/messages/events/{bag}", body, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: TestContext.Current.CancellationToken);
            Assert.True(result.IsSuccess, $"{Id}: {result.ReasonCode}");
        }

        public void Dispose() => Client.Dispose();
    }
}
