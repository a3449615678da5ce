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

    /// <summary>
    /// Each rule and device's last firing in the history, and whether it is still open (not cleared since): an
    /// evaluator seeds its state from it on activation, so a restart neither repeats a firing nor forgets one.
    /// </summary>
    Task<IReadOnlyList<AlertFiring>> LastFiringsAsync(CancellationToken cancellationToken = default);

    /// <summary>Events after <paramref name="afterSequence"/>, oldest first, optionally of one rule or device, at most <paramref name="top"/>.</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<IReadOnlyList<AlertEvent>> ListAsync(long afterSequence, string? ruleId, string? deviceId, int top, CancellationToken cancellationToken = default);
}

/// <summary>A rule's last firing for a device, and whether it is still open.</summary>
/// <param name="RuleId">The rule.</param>
/// <param name="DeviceId">The device.</param>
/// <param name="Open">Not cleared since.</param>
/// <param name="FiredAt">When it fired.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.AlertFiring")]
public sealed record AlertFiring(
    [property: Id(0)] string RuleId,
    [property: Id(1)] string DeviceId,
    [property: Id(2)] bool Open,
    [property: Id(3)] DateTimeOffset FiredAt);
