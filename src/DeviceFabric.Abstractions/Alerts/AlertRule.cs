namespace DeviceFabric.Alerts;

/// <summary>
/// An alert rule of a hub: a condition in the fabric's query language over each telemetry message (<c>body.*</c>,
/// <c>properties.*</c>, <c>systemProperties.*</c>, and <c>window.count|avg|min|max</c> when a window is set) or over a
/// device's reported properties (<c>properties.reported.*</c>); it fires when the condition turns true for a device and
/// clears when it turns false, at most once per cool-down.
/// </summary>
/// <param name="Id">The rule's id: 1-64 letters, digits, <c>-</c>, <c>_</c> or <c>.</c>.</param>
/// <param name="Source">What it watches.</param>
/// <param name="Condition">When it fires, e.g. <c>body.temperature &gt; 30</c> or <c>window.avg &gt; 30</c>.</param>
/// <param name="Severity">How bad a firing is.</param>
/// <param name="TargetCondition">Which devices it watches, a WHERE condition over their twins (e.g. <c>tags.site = 'north'</c>); null for all.</param>
/// <param name="Window">The window the condition's <c>window.*</c> aggregates over, for telemetry rules.</param>
/// <param name="Cooldown">The least time between two firings for one device.</param>
/// <param name="WebhookUrl">Where firings and clearings are also POSTed (with retries), if anywhere.</param>
/// <param name="Enabled">Whether it is evaluated.</param>
/// <param name="ETag">Changes with every write.</param>
/// <param name="Anomaly">Anomaly detection on a field, for telemetry rules (the condition then defaults to <c>anomaly.detected = true</c>).</param>
[GenerateSerializer, Immutable, Alias("devicefabric.AlertRule")]
public sealed record AlertRule(
    [property: Id(0)] string Id,
    [property: Id(1)] AlertSource Source,
    [property: Id(2)] string Condition,
    [property: Id(3)] AlertSeverity Severity = AlertSeverity.Warning,
    [property: Id(4)] string? TargetCondition = null,
    [property: Id(5)] AlertWindow? Window = null,
    [property: Id(6)] TimeSpan Cooldown = default,
    [property: Id(7)] string? WebhookUrl = null,
    [property: Id(8)] bool Enabled = true,
    [property: Id(9)] string? ETag = null,
    [property: Id(10)] AlertAnomaly? Anomaly = null);

/// <summary>The window a telemetry rule's <c>window.*</c> values aggregate a numeric field over.</summary>
/// <param name="Field">The field, as a path: <c>body.temperature</c>.</param>
/// <param name="Seconds">The last N seconds, or</param>
/// <param name="Messages">the last N messages (one of the two).</param>
[GenerateSerializer, Immutable, Alias("devicefabric.AlertWindow")]
public sealed record AlertWindow(
    [property: Id(0)] string Field,
    [property: Id(1)] int? Seconds = null,
    [property: Id(2)] int? Messages = null)
{
    /// <summary>The most messages a window holds per device.</summary>
    public const int MaxMessages = 1000;

    /// <summary>The longest window in seconds.</summary>
    public const int MaxSeconds = 3600;
}

/// <summary>What an alert rule watches.</summary>
public enum AlertSource
{
    /// <summary>Each device-to-cloud message.</summary>
    Telemetry,

    /// <summary>The device's reported properties, as they change.</summary>
    Twin,
}

/// <summary>How bad a firing is.</summary>
public enum AlertSeverity
{
    /// <summary>For information.</summary>
    Information,

    /// <summary>Needs a look.</summary>
    Warning,

    /// <summary>Needs action.</summary>
    Error,

    /// <summary>Needs action now.</summary>
    Critical,
}
