namespace DeviceFabric.Alerts;

/// <summary>
/// A hub's alert history: firings and clearings, stored (the newest <see cref="MaxEvents"/>) and then published on the
/// hub's alerts stream and POSTed to their rules' webhooks. Key: the hub name.
/// </summary>
[Alias("devicefabric.IAlertHistoryGrain")]
public interface IAlertHistoryGrain : IGrainWithStringKey
{
    /// <summary>How many events a hub keeps.</summary>
    public const int MaxEvents = 5000;

    /// <summary>Stores the events (numbering them) and publishes them; returns them as stored.</summary>
    Task<IReadOnlyList<AlertEvent>> RecordAsync(IReadOnlyList<AlertEvent> events, IReadOnlyList<string?> webhooks);

    /// <summary>Events after <paramref name="afterSequence"/>, oldest first, optionally of one rule or device, at most <paramref name="top"/>.</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<IReadOnlyList<AlertEvent>> ListAsync(long afterSequence, string? ruleId, string? deviceId, int top, CancellationToken cancellationToken = default);
}
