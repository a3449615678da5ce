using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using DeviceFabric.Security;
using DeviceFabric.Streams;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;
using DeviceFabric.Tests.Telemetry;
using MQTTnet;
using MQTTnet.Protocol;

namespace DeviceFabric.Tests.Durability;

/// <summary>
/// A PUBACK means stored: a hundred devices publish QoS 1 telemetry at once, the process is killed hard mid-stream, and
/// after the restart the log holds every acknowledged message, in each device's order, once; a consumer group's
/// checkpoint taken before the kill resumes at the very next event.
/// </summary>
public sealed class TelemetryHardKillTests
{
    private const int Devices = 100;
    private const string Group = "before-kill";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TelemetryAcknowledgedBeforeAHardKill_IsAllThereAfterRestart_InOrder_Once_AndACheckpointResumesWithoutAGap()
    {
        var data = TestNode.NewDataDirectory();
        var run = Guid.NewGuid().ToString("N")[..8];
        var ids = Enumerable.Range(0, Devices).Select(i => $"tk-{run}-{i:D3}").ToArray();
        var keys = ids.Select(_ => SymmetricKeys.Generate()).ToArray();
        // The partition most devices share (at least 13 of 100 on 8): it has 20 events soonest for the consumer group.
        var watched = ids.GroupBy(FabricStreams.TelemetryPartitionOf).MaxBy(g => g.Count())!.Key;
        using var progress = new PublishProgress(Devices, 5, 20);
        StreamedEvent checkpointed;

        await using (var silo = await SiloProcess.StartAsync(data))
        {
            using var http = HttpsClients.Create(silo);
            await CreateDevicesAsync(http, ids, keys);
            var clients = new IMqttClient?[Devices];
            try
            {
                // A few connects at a time: TLS handshakes on a small machine, and the per-address limit on pending logins.
                await Parallel.ForEachAsync(Enumerable.Range(0, Devices), new ParallelOptions { MaxDegreeOfParallelism = 10, CancellationToken = Ct }, async (i, _) =>
                {
                    var (client, result) = await MqttDevice.ConnectAsync(silo, ids[i], MqttDevice.Token(ids[i], keys[i]));
                    clients[i] = client;
                    Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
                });
                var publishing = Task.WhenAll(Enumerable.Range(0, Devices).Select(i => PublishUntilStoppedAsync(clients[i]!, ids[i], i, progress)));

                // While the devices publish, the group reads the start of a partition and checkpoints its last event.
                await WhenAsync(progress.Reached(5), progress, "every device had 5 messages acknowledged");
                var read = await EventStream.ReadAsync(http, $"/messages/events/partitions/{watched}?consumerGroup={Group}&maxEvents=20");
                Assert.Equal(20, read.Count);
                checkpointed = read[^1];
                using var put = await http.PutAsync(
                    $"/messages/events/partitions/{watched}/checkpoints/{Group}", new StringContent($$"""{"offset":{{checkpointed.Id}}}""", Encoding.UTF8, "application/json"), Ct);
                Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);

                // The power goes while every device still has a publish in flight.
                await WhenAsync(progress.Reached(20), progress, "every device had 20 messages acknowledged");
                await progress.StopAsync();
                silo.Kill();
                await publishing;
            }
            finally
            {
                await progress.StopAsync();
                foreach (var client in clients)
                {
                    client?.Dispose();
                }
            }
        }

        var acknowledged = Enumerable.Range(0, Devices).Select(progress.AcknowledgedBy).ToArray();
        await using (var silo = await SiloProcess.StartAsync(data))
        {
            using var http = HttpsClients.Create(silo);
            var stored = await ReadEverythingAsync(http);

            // A device maps to one partition, so its messages are in its partition's order.
            var seqs = stored.Values.SelectMany(e => e)
                .GroupBy(e => e.DeviceId!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(e => int.Parse(e.Property("seq")!, CultureInfo.InvariantCulture)).ToList(), StringComparer.Ordinal);
            Assert.All(Enumerable.Range(0, Devices), i =>
            {
                var sent = seqs.GetValueOrDefault(ids[i]) ?? [];
                var acked = acknowledged[i];
                Assert.True(acked >= 20, $"{ids[i]}: {acked} acknowledged");
                // Every acknowledged message, in order, each once; the one in flight at the kill may be there after them.
                Assert.Equal(Enumerable.Range(1, acked), sent.Take(acked));
                Assert.InRange(sent.Count, acked, acked + 1);
                Assert.All(sent.Skip(acked), extra => Assert.Equal(acked + 1, extra));
            });

            // The checkpoint stored before the kill is still there, and the group goes on at the next event: no gap, no repeat.
            var checkpoint = await ApiAssert.JsonAsync(await http.GetAsync($"/messages/events/partitions/{watched}/checkpoints/{Group}", Ct));
            Assert.Equal(checkpointed.Id, checkpoint.GetProperty("offset").GetInt64());
            var resumed = Assert.Single(await EventStream.ReadAsync(http, $"/messages/events/partitions/{watched}?consumerGroup={Group}&maxEvents=1"));
            Assert.Equal(checkpointed.SequenceNumber + 1, resumed.SequenceNumber);
            var log = stored[watched];
            var at = log.FindIndex(e => e.Id == checkpointed.Id);
            Assert.True(at >= 0, $"The checkpointed event at offset {checkpointed.Id} is not in partition {watched} after the restart");
            Assert.Equal((checkpointed.DeviceId, checkpointed.Property("seq"), checkpointed.SequenceNumber), (log[at].DeviceId, log[at].Property("seq"), log[at].SequenceNumber));
            Assert.Equal(log[at + 1].Id, resumed.Id);
        }
    }

    private static async Task CreateDevicesAsync(HttpClient http, string[] ids, string[] keys)
    {
        // The test chooses the keys, so one bulk request creates every device and nothing needs reading back.
        var devices = ids.Select((id, i) => new
        {
            id,
            importMode = "create",
            authentication = new { type = "sas", symmetricKey = new { primaryKey = keys[i], secondaryKey = keys[i] } },
        });
        var created = await ApiAssert.JsonAsync(await http.PostAsync(
            "/devices?api-version=2021-04-12", new StringContent(JsonSerializer.Serialize(devices), Encoding.UTF8, "application/json"), Ct));
        Assert.True(created.GetProperty("isSuccessful").GetBoolean(), created.GetRawText());
    }

    /// <summary>Publishes seq = 1, 2, 3... at QoS 1, one at a time, recording each acknowledged one, until stopped.</summary>
    private static async Task PublishUntilStoppedAsync(IMqttClient client, string deviceId, int device, PublishProgress progress)
    {
        var stopping = progress.Stopping;
        for (var seq = 1; !stopping.IsCancellationRequested; seq++)
        {
            try
            {
                var result = await client.PublishStringAsync(
                    $"devices/{deviceId}/messages/events/%24.ct=application%2Fjson&%24.ce=utf-8&seq={seq}", $$"""{"seq":{{seq}}}""", MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: stopping);
                if (!result.IsSuccess)
                {
                    throw new InvalidOperationException($"{deviceId}: seq {seq} was refused ({result.ReasonCode})");
                }
            }
            catch (Exception) when (progress.Stopped)
            {
                // In flight when the process died: never acknowledged, so it may or may not have been stored.
                return;
            }
            catch (Exception ex)
            {
                progress.Fail(ex);
                throw;
            }

            progress.Acknowledged(device, seq);
        }
    }

    /// <summary>Waits for a milestone; a publisher that failed before it fails the test with its own exception.</summary>
    private static async Task WhenAsync(Task milestone, PublishProgress progress, string what)
    {
        try
        {
            // The failure task only ever faults, so awaiting whichever came first either returns or throws the failure.
            await await Task.WhenAny(milestone, progress.Failure).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"Not within 30 s: {what}", ex);
        }
    }

    /// <summary>Every partition from its earliest event, as many events as it reports (its sequence numbers have no gaps).</summary>
    private static async Task<Dictionary<int, List<StreamedEvent>>> ReadEverythingAsync(HttpClient http)
    {
        var partitions = (await ApiAssert.JsonAsync(await http.GetAsync("/messages/events/partitions", Ct))).GetProperty("value").EnumerateArray().ToList();
        var stored = new Dictionary<int, List<StreamedEvent>>();
        foreach (var info in partitions)
        {
            var partition = int.Parse(info.GetProperty("partitionId").GetString()!, CultureInfo.InvariantCulture);
            if (info.GetProperty("isEmpty").GetBoolean())
            {
                stored[partition] = [];
                continue;
            }

            var first = info.GetProperty("firstSequenceNumber").GetInt64();
            var count = info.GetProperty("lastSequenceNumber").GetInt64() - first + 1;
            var events = await EventStream.ReadAsync(http, $"/messages/events/partitions/{partition}?from=earliest&maxEvents={count}");
            Assert.Equal(Enumerable.Range(0, events.Count).Select(k => first + k), events.Select(e => e.SequenceNumber));
            Assert.All(events, e => Assert.Equal(partition, FabricStreams.TelemetryPartitionOf(e.DeviceId!)));
            stored[partition] = events;
        }

        return stored;
    }

    /// <summary>
    /// The highest acknowledged seq of each device, milestones reached by every device, and the stop: marked before the
    /// kill so that the publishes it cuts short end their publishers quietly instead of failing the test.
    /// </summary>
    private sealed class PublishProgress : IDisposable
    {
        private readonly int[] _acknowledged;
        private readonly int[] _milestones;
        private readonly int[] _devicesLeft;
        private readonly TaskCompletionSource[] _reached;
        private readonly TaskCompletionSource _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        private volatile bool _stopped;

        public PublishProgress(int devices, params int[] milestones)
        {
            _acknowledged = new int[devices];
            _milestones = milestones;
            _devicesLeft = [.. milestones.Select(_ => devices)];
            _reached = [.. milestones.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))];
        }

        public CancellationToken Stopping => _stop.Token;

        public bool Stopped => _stopped;

        /// <summary>Faults with the first publisher's failure before the stop; never completes otherwise.</summary>
        public Task Failure => _failed.Task;

        public void Fail(Exception exception) => _failed.TrySetException(exception);

        public Task Reached(int milestone) => _reached[Array.IndexOf(_milestones, milestone)].Task;

        public int AcknowledgedBy(int device) => Volatile.Read(ref _acknowledged[device]);

        public void Acknowledged(int device, int seq)
        {
            Volatile.Write(ref _acknowledged[device], seq);
            for (var m = 0; m < _milestones.Length; m++)
            {
                // Each device counts once per milestone: its seq passes every value exactly once.
                if (seq == _milestones[m] && Interlocked.Decrement(ref _devicesLeft[m]) == 0)
                {
                    _reached[m].TrySetResult();
                }
            }
        }

        public Task StopAsync()
        {
            _stopped = true;
            return _stop.CancelAsync();
        }

        public void Dispose() => _stop.Dispose();
    }
}
