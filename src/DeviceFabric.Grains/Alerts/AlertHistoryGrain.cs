using DeviceFabric.Persistence;
using DeviceFabric.Streams;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace DeviceFabric.Alerts;

/// <summary>
/// A hub's alert history: events numbered and stored (the newest <see cref="IAlertHistoryGrain.MaxEvents"/>) before they
/// are published on the hub's alerts stream and handed to the webhooks.
/// </summary>
internal sealed partial class AlertHistoryGrain(
    [PersistentState("alerthistory", GrainStorage.Name)] IPersistentState<AlertHistoryState> state,
    AlertWebhooks webhooks,
    AlertInstruments instruments,
    ILogger<AlertHistoryGrain> logger) : Grain, IAlertHistoryGrain
{
    private IAsyncStream<AlertEvent>? _stream;

    public async Task<IReadOnlyList<AlertEvent>> RecordAsync(IReadOnlyList<AlertEvent> events, IReadOnlyList<string?> hooks)
    {
        var s = state.State;
        var (kept, keptSequence) = (s.Events, s.LastSequence);
        var stored = events.Select((e, i) => e with { Sequence = keptSequence + i + 1 }).ToList();
        var all = kept.Concat(stored);
        s.Events = [.. all.Skip(Math.Max(0, kept.Count + stored.Count - IAlertHistoryGrain.MaxEvents))];
        s.LastSequence = keptSequence + stored.Count;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            (s.Events, s.LastSequence) = (kept, keptSequence);
            throw;
        }

        _stream ??= this.GetStreamProvider(FabricStreams.ProviderName).GetStream<AlertEvent>(StreamId.Create(FabricStreams.AlertsNamespace, this.GetPrimaryKeyString()));
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
            LogPublishFailed(logger, ex, this.GetPrimaryKeyString());
        }

        return stored;
    }

    public Task<IReadOnlyList<AlertEvent>> ListAsync(long afterSequence, string? ruleId, string? deviceId, int top, CancellationToken cancellationToken = default)
    {
        if (top is < 1 or > 1000)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "top must be between 1 and 1000.");
        }

        return Task.FromResult<IReadOnlyList<AlertEvent>>(state.State.Events
            .Where(e => e.Sequence > afterSequence && (ruleId is null || e.RuleId == ruleId) && (deviceId is null || e.DeviceId == deviceId))
            .Take(top)
            .ToList());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert {Hub}/{RuleId} {Kind} for {DeviceId} ({Severity})")]
    private static partial void LogEvent(ILogger logger, string hub, string ruleId, string deviceId, AlertEventKind kind, AlertSeverity severity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hub {Hub}: alert events are stored but could not be published")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string hub);
}
