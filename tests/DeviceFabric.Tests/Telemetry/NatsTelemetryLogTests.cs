using System.Diagnostics;
using System.Globalization;
using System.Text;
using DeviceFabric.Hubs;
using DeviceFabric.Storage.Telemetry;
using DeviceFabric.Telemetry;
using DeviceFabric.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace DeviceFabric.Tests.Telemetry;

/// <summary>The cluster's telemetry log on a real NATS server with JetStream; each test has streams of its own.</summary>
public sealed class NatsTelemetryLogTests
{
    private const string Hub = "devicefabric";

    [Fact]
    public async Task Appends_FromSeveralDevices_ReadBackInPages_InOrder()
    {
        await using var scope = new LogScope();
        var ct = TestContext.Current.CancellationToken;
        string[] devices = ["dev-a", "dev-b", "dev-c"];

        // Each device appends in order, as a device's connection does; the devices overlap.
        await Task.WhenAll(devices.Select(async device =>
        {
            for (var n = 0; n < 50; n++)
            {
                await scope.Log.AppendAsync(Hub, 3, Message(device, n, device == "dev-c" ? "mod-1" : null));
            }
        }));

        var events = new List<TelemetryEvent>();
        var position = EventPosition.Earliest;
        for (var pages = 0; pages < 100; pages++)
        {
            var page = await scope.Log.ReadAsync(Hub, 3, position, 20, TimeSpan.Zero, ct);
            Assert.True(page.Events.Count <= 20);
            if (page.Events.Count == 0)
            {
                break;
            }

            events.AddRange(page.Events);
            position = page.Next;
        }

        Assert.Equal(150, events.Count);
        Assert.All(events.Zip(events.Skip(1)), pair => Assert.True(pair.First.Offset < pair.Second.Offset));
        Assert.All(events, e =>
        {
            Assert.Equal(3, e.Partition);
            Assert.Equal(e.Offset, e.SequenceNumber);
        });
        foreach (var device in devices)
        {
            var mine = events.Where(e => e.Message.DeviceId == device).Select(e => e.Message).ToList();
            Assert.Equal(Enumerable.Range(0, 50), mine.Select(m => int.Parse(m.Properties["n"], CultureInfo.InvariantCulture)));
            for (var n = 0; n < 50; n++)
            {
                var expected = Message(device, n, device == "dev-c" ? "mod-1" : null);
                Assert.Equal(expected.Body, mine[n].Body);
                Assert.Equal(expected.EnqueuedTime, mine[n].EnqueuedTime);
                Assert.Equal(expected.ModuleId, mine[n].ModuleId);
                Assert.Equal(expected.SystemProperties.OrderBy(p => p.Key), mine[n].SystemProperties.OrderBy(p => p.Key));
                Assert.Equal(expected.Properties.OrderBy(p => p.Key), mine[n].Properties.OrderBy(p => p.Key));
            }
        }
    }

    [Fact]
    public async Task AfterOffset_ResumesExactly_AndLatest_SeesOnlyWhatComesNext()
    {
        await using var scope = new LogScope();
        var ct = TestContext.Current.CancellationToken;
        for (var n = 0; n < 10; n++)
        {
            await scope.Log.AppendAsync(Hub, 1, Message("dev-r", n));
        }

        var first = await scope.Log.ReadAsync(Hub, 1, EventPosition.Earliest, 4, TimeSpan.Zero, ct);
        Assert.Equal(new long[] { 1, 2, 3, 4 }, first.Events.Select(e => e.Offset));
        var resumed = await scope.Log.ReadAsync(Hub, 1, EventPosition.AfterOffset(first.Events[1].Offset), 3, TimeSpan.Zero, ct);
        Assert.Equal(new long[] { 3, 4, 5 }, resumed.Events.Select(e => e.Offset));
        var rest = await scope.Log.ReadAsync(Hub, 1, resumed.Next, 100, TimeSpan.Zero, ct);
        Assert.Equal(new long[] { 6, 7, 8, 9, 10 }, rest.Events.Select(e => e.Offset));
        Assert.Equal(Enumerable.Range(5, 5), rest.Events.Select(e => int.Parse(e.Message.Properties["n"], CultureInfo.InvariantCulture)));

        var latest = await scope.Log.ReadAsync(Hub, 1, EventPosition.Latest, 10, TimeSpan.Zero, ct);
        Assert.Empty(latest.Events);
        Assert.Equal(EventPosition.FromOffset(11), latest.Next);
        await scope.Log.AppendAsync(Hub, 1, Message("dev-r", 10));
        var next = await scope.Log.ReadAsync(Hub, 1, latest.Next, 10, TimeSpan.Zero, ct);
        Assert.Equal(11L, Assert.Single(next.Events).Offset);

        // At the tail, a short wait ends empty and promptly, where it was.
        var clock = Stopwatch.StartNew();
        var empty = await scope.Log.ReadAsync(Hub, 1, next.Next, 10, TimeSpan.FromMilliseconds(300), ct);
        Assert.Empty(empty.Events);
        Assert.Equal(next.Next, empty.Next);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"an empty read with a 300 ms wait took {clock.Elapsed}");

        // A waiting read returns what arrives while it waits (or, if it arrived first, finds it there).
        var waiting = scope.Log.ReadAsync(Hub, 1, next.Next, 10, TimeSpan.FromSeconds(30), ct);
        await scope.Log.AppendAsync(Hub, 1, Message("dev-r", 11));
        Assert.Equal(12L, Assert.Single((await waiting).Events).Offset);
    }

    [Fact]
    public async Task EnqueuedTime_StartsAtWhatTheServerAcceptedFromThen()
    {
        await using var scope = new LogScope();
        var ct = TestContext.Current.CancellationToken;
        for (var n = 0; n < 5; n++)
        {
            await scope.Log.AppendAsync(Hub, 2, Message("dev-t", n));
        }

        // JetStream stamps messages with its own clock (this machine's): the first batch is stamped before its acks came.
        var cut = DateTimeOffset.UtcNow;
        while (DateTimeOffset.UtcNow < cut.AddMilliseconds(1))
        {
            await Task.Yield();
        }

        for (var n = 5; n < 10; n++)
        {
            await scope.Log.AppendAsync(Hub, 2, Message("dev-t", n));
        }

        var read = await scope.Log.ReadAsync(Hub, 2, EventPosition.FromEnqueuedTime(cut), 100, TimeSpan.Zero, ct);
        Assert.Equal(Enumerable.Range(5, 5), read.Events.Select(e => int.Parse(e.Message.Properties["n"], CultureInfo.InvariantCulture)));
        Assert.Equal(EventPosition.AfterOffset(10), read.Next);

        var future = await scope.Log.ReadAsync(Hub, 2, EventPosition.FromEnqueuedTime(DateTimeOffset.UtcNow.AddHours(1)), 100, TimeSpan.Zero, ct);
        Assert.Empty(future.Events);
        Assert.Equal(EventPosition.FromOffset(11), future.Next);
    }

    [Fact]
    public async Task Partition_ReportsOffsets_AndLastEnqueuedTime()
    {
        await using var scope = new LogScope();
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(new TelemetryPartitionInfo(5, null, null, 0, 0, null), await scope.Log.GetPartitionAsync(Hub, 5, ct));

        var empty = await scope.Log.ReadAsync(Hub, 5, EventPosition.Earliest, 10, TimeSpan.Zero, ct);
        Assert.Empty(empty.Events);
        Assert.Equal(EventPosition.FromOffset(1), empty.Next);

        var before = DateTimeOffset.UtcNow;
        for (var n = 0; n < 5; n++)
        {
            await scope.Log.AppendAsync(Hub, 5, Message("dev-p", n));
        }

        var after = DateTimeOffset.UtcNow;
        var info = await scope.Log.GetPartitionAsync(Hub, 5, ct);
        Assert.Equal(5, info.Partition);
        Assert.Equal(1L, info.FirstOffset);
        Assert.Equal(5L, info.LastOffset);
        Assert.Equal(1L, info.FirstSequenceNumber);
        Assert.Equal(5L, info.LastSequenceNumber);
        Assert.True(info.LastEnqueuedTime.HasValue);
        var last = info.LastEnqueuedTime.GetValueOrDefault();
        Assert.InRange(last, before.AddSeconds(-1), after.AddSeconds(1));
        Assert.Equal(TimeSpan.Zero, last.Offset);

        // The limits are the hub's already, and nothing is old enough to go.
        Assert.Equal(0L, await scope.Log.ApplyRetentionAsync(Hub, 5, ct));
    }

    [Fact]
    public async Task Read_RefusesAMessageThatIsNoRecord()
    {
        await using var scope = new LogScope();
        var ct = TestContext.Current.CancellationToken;
        await scope.Log.GetPartitionAsync(Hub, 0, ct);
        await using (var nats = new NatsConnection(new NatsOpts { Url = scope.Url }))
        {
            var ack = await new NatsJSContext(nats).PublishAsync($"{scope.Prefix}.{Hub}.telemetry.0", "not a record"u8.ToArray(), cancellationToken: ct);
            ack.EnsureSuccess();
        }

        await Assert.ThrowsAsync<FormatException>(() => scope.Log.ReadAsync(Hub, 0, EventPosition.Earliest, 10, TimeSpan.Zero, ct));
    }

    private static TelemetryMessage Message(string device, int n, string? module = null) => new(
        device,
        new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero).AddMilliseconds(n),
        new Dictionary<string, string>
        {
            ["message-id"] = $"{device}-{n}",
            ["content-type"] = "application/json",
            ["iothub-connection-device-id"] = device,
        },
        new Dictionary<string, string> { ["n"] = n.ToString(CultureInfo.InvariantCulture), ["note"] = "é ✓" },
        Encoding.UTF8.GetBytes($$"""{"device":"{{device}}","n":{{n}}}"""),
        module);

    /// <summary>A log under a prefix of its own; its streams are deleted when it is disposed.</summary>
    private sealed class LogScope : IAsyncDisposable
    {
        public LogScope()
        {
            Url = ExternalService.NatsUrl();
            Prefix = "t" + Guid.NewGuid().ToString("N")[..12];
            // Small partitions: JetStream reserves each stream's MaxBytes of its store up front.
            var hubs = new HubOptions { Hubs = [new HubDefinition { Name = Hub, HostName = "localhost", TelemetryPartitionBytes = 64L << 20 }] };
            Log = new NatsTelemetryLog(
                Options.Create(new TelemetryLogOptions { Log = TelemetryLogMode.Nats, NatsUrl = Url, NatsPrefix = Prefix }),
                Options.Create(hubs),
                NullLogger<NatsTelemetryLog>.Instance);
        }

        public string Url { get; }

        public string Prefix { get; }

        public NatsTelemetryLog Log { get; }

        public async ValueTask DisposeAsync()
        {
            await Log.DisposeAsync();
            await using var nats = new NatsConnection(new NatsOpts { Url = Url });
            var js = new NatsJSContext(nats);
            var mine = new List<string>();
            await foreach (var name in js.ListStreamNamesAsync(cancellationToken: CancellationToken.None))
            {
                if (name.StartsWith(Prefix + "_", StringComparison.Ordinal))
                {
                    mine.Add(name);
                }
            }

            foreach (var name in mine)
            {
                await js.DeleteStreamAsync(name, CancellationToken.None);
            }
        }
    }
}
