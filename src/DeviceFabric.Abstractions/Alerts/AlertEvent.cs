namespace DeviceFabric.Alerts;

/// <summary>A rule fired or cleared for a device.</summary>
/// <param name="Hub">The hub.</param>
/// <param name="Sequence">Its place in the hub's alert history, from 1 (set when stored).</param>
/// <param name="RuleId">The rule.</param>
/// <param name="DeviceId">The device.</param>
/// <param name="Kind">Fired or cleared.</param>
/// <param name="Severity">The rule's severity.</param>
/// <param name="Value">What the condition saw, as JSON (the message's body and window, or the reported properties).</param>
/// <param name="Time">When (the message's enqueued time, or the twin change's).</param>
[GenerateSerializer, Immutable, Alias("devicefabric.AlertEvent")]
public sealed record AlertEvent(
    [property: Id(0)] string Hub,
    [property: Id(1)] long Sequence,
    [property: Id(2)] string RuleId,
    [property: Id(3)] string DeviceId,
    [property: Id(4)] AlertEventKind Kind,
    [property: Id(5)] AlertSeverity Severity,
    [property: Id(6)] string Value,
    [property: Id(7)] DateTimeOffset Time);

/// <summary>Whether a rule fired or cleared.</summary>
public enum AlertEventKind
{
    /// <summary>The condition turned true.</summary>
    Fired,

    /// <summary>The condition turned false after a firing.</summary>
    Cleared,
}
