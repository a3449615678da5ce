using System.Globalization;
using DeviceFabric.Persistence;
using DeviceFabric.Streams;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace DeviceFabric.Alerts;

/// <summary>
/// A hub's alert history: events numbered and stored before they are published on the hub's alerts stream and handed
/// to the webhooks. The newest are stored here; every <see cref="SegmentSize"/> of them move to a segment grain written
/// once, so recording rewrites at most a segment's worth, and the oldest segments are cleared beyond
/// <see cref="IAlertHistoryGrain.MaxEvents"/>.
/// </summary>
internal sealed partial class AlertHistoryGrain(
    [PersistentState("alerthistory", GrainStorage.Name)] IPersistentState<AlertHistoryState> state,
    AlertWebhooks webhooks,
    AlertInstruments instruments,
    ILogger<AlertHistoryGrain> logger) : Grain, IAlertHistoryGrain
{
    public const int SegmentSize = 200;
    private const int MaxSegments = IAlertHistoryGrain.MaxEvents / SegmentSize;

    private IAsyncStream<AlertEvent>? _stream;

    private string Hub => this.GetPrimaryKeyString();

    public async Task<IReadOnlyList<AlertEvent>> RecordAsync(IReadOnlyList<AlertEvent> events, IReadOnlyList<string?> hooks)
    {
        var s = state.State;
        var (kept, keptSequence) = (s.Events, s.LastSequence);
        var stored = events.Select((e, i) => e with { Sequence = keptSequence + i + 1 }).ToList();
        var pending = kept.Concat(stored).ToList();
        try
        {
            // Full segments go out first (each written once), what is left stays here.
            while (pending.Count >= SegmentSize && SegmentOf(pending[SegmentSize - 1].Sequence) == SegmentOf(pending[0].Sequence))
            {
                await Segment(SegmentOf(pending[0].Sequence)).StoreAsync(pending[..SegmentSize]);
                pending = pending[SegmentSize..];
            }

            (s.Events, s.LastSequence) = (pending, keptSequence + stored.Count);
            await state.WriteStateAsync();
        }
        catch
        {
            (s.Events, s.LastSequence) = (kept, keptSequence);
            throw;
        }

        await DropOldestAsync();
        await PublishAsync(stored, hooks);
        return stored;
    }

    public async Task<IReadOnlyList<AlertFiring>> LastFiringsAsync(CancellationToken cancellationToken = default)
    {
        var last = new Dictionary<(string, string), AlertFiring>();
        foreach (var e in await AllAsync())
        {
            var key = (e.RuleId, e.DeviceId);
            last[key] = e.Kind == AlertEventKind.Fired
                ? new AlertFiring(e.RuleId, e.DeviceId, true, e.Time)
                : last.TryGetValue(key, out var fired) ? fired with { Open = false } : new AlertFiring(e.RuleId, e.DeviceId, false, e.Time);
        }

        return [.. last.Values];
    }

    public async Task<IReadOnlyList<AlertEvent>> ListAsync(long afterSequence, string? ruleId, string? deviceId, int top, CancellationToken cancellationToken = default)
    {
        if (top is < 1 or > 1000)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "top must be between 1 and 1000.");
        }

        return (await AllAsync(Math.Max(state.State.FirstSegment, SegmentOf(afterSequence + 1))))
            .Where(e => e.Sequence > afterSequence && (ruleId is null || e.RuleId == ruleId) && (deviceId is null || e.DeviceId == deviceId))
            .Take(top)
            .ToList();
    }

    private async Task<List<AlertEvent>> AllAsync(long? fromSegment = null)
    {
        var all = new List<AlertEvent>();
        var newest = SegmentOf(state.State.LastSequence - state.State.Events.Count + 1);
        for (var segment = fromSegment ?? state.State.FirstSegment; segment < newest; segment++)
        {
            all.AddRange(await Segment(segment).GetAsync());
        }

        all.AddRange(state.State.Events);
        return all;
    }

    private async Task PublishAsync(List<AlertEvent> stored, IReadOnlyList<string?> hooks)
    {
        _stream ??= this.GetStreamProvider(FabricStreams.ProviderName).GetStream<AlertEvent>(StreamId.Create(FabricStreams.AlertsNamespace, Hub));
        for (var i = 0; i < stored.Count; i++)
        {
            instruments.Recorded(stored[i]);
            LogEvent(logger, stored[i].Hub, stored[i].RuleId, stored[i].DeviceId, stored[i].Kind, stored[i].Severity);
            if (i < hooks.Count && hooks[i] is { } url)
            {
                webhooks.Send(stored[i], url);
            }
        }

        try
        {
            await _stream.OnNextBatchAsync(stored);
        }
        catch (Exception ex)
        {
            LogPublishFailed(logger, ex, Hub);
        }
    }

    /// <summary>Clears the segments beyond the bound; a failure leaves them for the next record to retry.</summary>
    private async Task DropOldestAsync()
    {
        var s = state.State;
        var newest = SegmentOf(s.LastSequence - s.Events.Count + 1);
        if (newest - s.FirstSegment <= MaxSegments)
        {
            return;
        }

        try
        {
            await Segment(s.FirstSegment).ClearAsync();
            s.FirstSegment++;
            await state.WriteStateAsync();
        }
        catch (Exception ex)
        {
            LogTrimFailed(logger, ex, Hub);
        }
    }

    private static long SegmentOf(long sequence) => (sequence - 1) / SegmentSize;

    private IAlertHistorySegmentGrain Segment(long index) =>
        GrainFactory.GetGrain<IAlertHistorySegmentGrain>(string.Concat(Hub, "/", index.ToString(CultureInfo.InvariantCulture)));

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert {Hub}/{RuleId} {Kind} for {DeviceId} ({Severity})")]
    private static partial void LogEvent(ILogger logger, string hub, string ruleId, string deviceId, AlertEventKind kind, AlertSeverity severity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hub {Hub}: alert events are stored but could not be published")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string hub);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hub {Hub}: the oldest alert history segment could not be cleared; retried with the next event")]
    private static partial void LogTrimFailed(ILogger logger, Exception exception, string hub);
}
