using System.Diagnostics.Metrics;

namespace DeviceFabric.Alerts;

/// <summary>Metrics of alert rules (meter <c>DeviceFabric.Alerts</c>): evaluations and firings.</summary>
public sealed class AlertInstruments
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "DeviceFabric.Alerts";

    private readonly Counter<long> _evaluations;
    private readonly Counter<long> _events;
    private readonly Counter<long> _webhooks;

    /// <summary>Creates the instruments on a meter of <paramref name="meters"/>.</summary>
    public AlertInstruments(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _evaluations = meter.CreateCounter<long>("devicefabric-alert-evaluations", "{evaluation}", "Rule evaluations, by source (telemetry, twin).");
        _events = meter.CreateCounter<long>("devicefabric-alert-events", "{event}", "Alert firings and clearings, by kind and severity.");
        _webhooks = meter.CreateCounter<long>("devicefabric-alert-webhooks", "{call}", "Alert webhook deliveries, by outcome (delivered, failed).");
    }

    private static readonly KeyValuePair<string, object?> s_telemetry = new("source", "telemetry");
    private static readonly KeyValuePair<string, object?> s_twin = new("source", "twin");

    internal void Evaluated(AlertSource source) => _evaluations.Add(1, source == AlertSource.Telemetry ? s_telemetry : s_twin);

    internal void Recorded(AlertEvent e) =>
        _events.Add(1, new KeyValuePair<string, object?>("kind", e.Kind.ToString().ToLowerInvariant()), new KeyValuePair<string, object?>("severity", e.Severity.ToString().ToLowerInvariant()));

    internal void WebhookCalled(bool delivered) => _webhooks.Add(1, new KeyValuePair<string, object?>("outcome", delivered ? "delivered" : "failed"));
}
