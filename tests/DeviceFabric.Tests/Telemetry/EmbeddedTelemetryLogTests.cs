using System.Text;
using DeviceFabric.Hubs;
using DeviceFabric.Storage.Telemetry;
using DeviceFabric.Telemetry;
using DeviceFabric.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace DeviceFabric.Tests.Telemetry;

/// <summary>The single node's telemetry log on real files of a data directory, with a clock the tests move.</summary>
public sealed class EmbeddedTelemetryLogTests : IAsyncDisposable
{
    private const string Hub = "devicefabric";
    private readonly string _directory = Path.Combine(TestNode.NewDataDirectory(), "telemetry");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
    private EmbeddedTelemetryLog _log;

    public EmbeddedTelemetryLogTests() => _log = Open();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Positions_Earliest_Offset_AfterOffset_AndLatest_ReadWhatTheySay()
    {
        await AppendAsync(0, 30);
        var all = await ReadAllAsync(EventPosition.Earliest);
        Assert.Equal(Enumerable.Range(1, 30), all.Select(e => (int)e.SequenceNumber));
        Assert.Equal(Enumerable.Range(0, 30).Select(n => $"m{n}"), all.Select(e => e.Message.SystemProperties["message-id"]));
        Assert.True(all.Zip(all.Skip(1)).All(p => p.First.Offset < p.Second.Offset));

        var at = await _log.ReadAsync(Hub, 2, EventPosition.FromOffset(all[10].Offset), 3, TimeSpan.Zero, Ct);
        Assert.Equal([11L, 12, 13], at.Events.Select(e => e.SequenceNumber));
        var after = await _log.ReadAsync(Hub, 2, EventPosition.AfterOffset(all[10].Offset), 3, TimeSpan.Zero, Ct);
        Assert.Equal([12L, 13, 14], after.Events.Select(e => e.SequenceNumber));
        var next = await _log.ReadAsync(Hub, 2, after.Next, 100, TimeSpan.Zero, Ct);
        Assert.Equal(Enumerable.Range(15, 16).Select(n => (long)n), next.Events.Select(e => e.SequenceNumber));

        // The latest is pinned to the tail it saw: what is appended after the read is what the next read gets.
        var latest = await _log.ReadAsync(Hub, 2, EventPosition.Latest, 10, TimeSpan.Zero, Ct);
        Assert.Empty(latest.Events);
        await AppendAsync(30, 2);
        var arrived = await _log.ReadAsync(Hub, 2, latest.Next, 10, TimeSpan.Zero, Ct);
        Assert.Equal([31L, 32], arrived.Events.Select(e => e.SequenceNumber));
    }

    [Fact]
    public async Task AReadAtTheTail_WaitsForTheNextAppend()
    {
        await AppendAsync(0, 1);
        var first = await _log.ReadAsync(Hub, 2, EventPosition.Earliest, 10, TimeSpan.Zero, Ct);
        var waiting = _log.ReadAsync(Hub, 2, first.Next, 10, TimeSpan.FromSeconds(30), Ct);
        Assert.False(waiting.IsCompleted);

        await AppendAsync(1, 1);
        var read = await waiting;
        Assert.Equal(2, Assert.Single(read.Events).SequenceNumber);
    }

    [Fact]
    public async Task ByTime_ReadsFromTheFirstMessageEnqueuedAtOrAfterIt()
    {
        await AppendAsync(0, 600);
        _time.Advance(TimeSpan.FromMinutes(1));
        var cut = _time.GetUtcNow();
        await AppendAsync(600, 5);

        var read = await _log.ReadAsync(Hub, 2, EventPosition.FromEnqueuedTime(cut), 100, TimeSpan.Zero, Ct);
        Assert.Equal(Enumerable.Range(601, 5).Select(n => (long)n), read.Events.Select(e => e.SequenceNumber));
        Assert.All(read.Events, e => Assert.Equal(cut, e.Message.EnqueuedTime));
    }

    [Fact]
    public async Task Reopened_ItHoldsEverythingCommitted_AndNumbersOn()
    {
        await AppendAsync(0, 20);
        await _log.DisposeAsync();
        _log = Open();

        Assert.Equal(Enumerable.Range(1, 20), (await ReadAllAsync(EventPosition.Earliest)).Select(e => (int)e.SequenceNumber));
        await AppendAsync(20, 1);
        var info = await _log.GetPartitionAsync(Hub, 2, Ct);
        Assert.Equal((1, 21), (info.FirstSequenceNumber, info.LastSequenceNumber));
        Assert.Equal(_time.GetUtcNow(), info.LastEnqueuedTime);
    }

    [Fact]
    public async Task Retention_ByAge_RemovesWhatIsOlder_AndTheNumberingSurvivesARestart()
    {
        await AppendAsync(0, 10);
        _time.Advance(TimeSpan.FromHours(2));
        await AppendAsync(10, 5);

        Assert.Equal(10, await _log.ApplyRetentionAsync(Hub, 2, Ct));
        Assert.Equal(0, await _log.ApplyRetentionAsync(Hub, 2, Ct));
        Assert.Equal(Enumerable.Range(11, 5), (await ReadAllAsync(EventPosition.Earliest)).Select(e => (int)e.SequenceNumber));

        // Everything goes once it is old enough; a partition emptied by retention still counts on from where it was.
        _time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(5, await _log.ApplyRetentionAsync(Hub, 2, Ct));
        await _log.DisposeAsync();
        _log = Open();
        var empty = await _log.GetPartitionAsync(Hub, 2, Ct);
        Assert.Null(empty.FirstOffset);
        Assert.Equal(15, empty.LastSequenceNumber);
        await AppendAsync(15, 1);
        Assert.Equal(16, Assert.Single(await ReadAllAsync(EventPosition.Earliest)).SequenceNumber);
    }

    [Fact]
    public async Task Retention_BySize_KeepsTheNewestBytes()
    {
        await AppendAsync(0, 300, bodyBytes: 8 * 1024);
        var removed = await _log.ApplyRetentionAsync(Hub, 2, Ct);

        var kept = await ReadAllAsync(EventPosition.Earliest);
        Assert.Equal(300 - removed, kept.Count);
        Assert.InRange(kept.Count, 100, 130);
        Assert.Equal(300, kept[^1].SequenceNumber);
        Assert.Equal(Enumerable.Range(301 - kept.Count, kept.Count), kept.Select(e => (int)e.SequenceNumber));
    }

    [Fact]
    public async Task AnOffsetThatIsNotAnEventsStart_IsRefused()
    {
        await AppendAsync(0, 3);
        var first = (await ReadAllAsync(EventPosition.Earliest))[0];

        await Assert.ThrowsAsync<FormatException>(() => _log.ReadAsync(Hub, 2, EventPosition.FromOffset(first.Offset + 5), 10, TimeSpan.Zero, Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _log.ReadAsync(Hub, 8, EventPosition.Earliest, 10, TimeSpan.Zero, Ct));
    }

    public async ValueTask DisposeAsync() => await _log.DisposeAsync();

    private EmbeddedTelemetryLog Open() => new(
        _directory,
        Options.Create(new HubOptions { Hubs = [new HubDefinition { Name = Hub, HostName = "localhost", TelemetryRetention = TimeSpan.FromHours(1), TelemetryPartitionBytes = 1 << 20 }] }),
        _time);

    private async Task AppendAsync(int first, int count, int bodyBytes = 16)
    {
        for (var n = first; n < first + count; n++)
        {
            var system = new Dictionary<string, string> { ["message-id"] = $"m{n}", ["iothub-connection-device-id"] = "dev-1" };
            var body = Encoding.UTF8.GetBytes($"{{\"n\":{n}}}".PadRight(bodyBytes));
            await _log.AppendAsync(Hub, 2, new TelemetryMessage("dev-1", _time.GetUtcNow(), system, new Dictionary<string, string> { ["n"] = $"{n}" }, body));
        }
    }

    private async Task<List<TelemetryEvent>> ReadAllAsync(EventPosition from)
    {
        var events = new List<TelemetryEvent>();
        while (true)
        {
            var read = await _log.ReadAsync(Hub, 2, from, 100, TimeSpan.Zero, Ct);
            if (read.Events.Count == 0)
            {
                return events;
            }

            events.AddRange(read.Events);
            from = read.Next;
        }
    }
}
