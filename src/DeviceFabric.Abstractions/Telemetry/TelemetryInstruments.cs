using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace DeviceFabric.Telemetry;

/// <summary>
/// Metrics of the telemetry log (meter <c>DeviceFabric.Telemetry</c>): messages stored, events trimmed by retention,
/// events read by consumer groups and handed to live subscribers.
/// </summary>
public sealed class TelemetryInstruments
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "DeviceFabric.Telemetry";

    private readonly Counter<long> _stored;
    private readonly Counter<long> _trimmed;
    private readonly Counter<long> _read;
    private readonly Counter<long> _routed;
    private readonly ConcurrentDictionary<string, (string Endpoint, long Behind)> _backlogs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _livePartitions = new(StringComparer.Ordinal);

    /// <summary>Creates the instruments on a meter of <paramref name="meters"/>.</summary>
    public TelemetryInstruments(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        Meter = meters.Create(MeterName);
        _stored = Meter.CreateCounter<long>("devicefabric-telemetry-stored", "{message}", "Device-to-cloud messages stored in the hub's log (each acknowledged after it), by hub.");
        _trimmed = Meter.CreateCounter<long>("devicefabric-telemetry-trimmed", "{message}", "Messages removed from the log by retention (age or size), by hub.");
        _read = Meter.CreateCounter<long>("devicefabric-telemetry-read", "{message}", "Messages read from the log, by reader (consumer group, live, route).");
        _routed = Meter.CreateCounter<long>("devicefabric-routing-messages", "{message}", "Routed messages by endpoint and outcome (delivered, retried, deadlettered).");
        Meter.CreateObservableGauge("devicefabric-telemetry-live-partitions", LivePartitions, "{partition}", "Telemetry partitions whose fan-out on this silo hands messages to live listeners (subscriptions, alert rules, twin bindings), by hub.");
        Meter.CreateObservableGauge("devicefabric-routing-backlog", Backlogs, "{message}", "Telemetry messages each endpoint's deliveries on this silo have yet to go past, by endpoint.");
    }

    /// <summary>The meter the instruments are on.</summary>
    public Meter Meter { get; }

    /// <summary>A message was stored.</summary>
    public void Stored(string hub) => _stored.Add(1, new KeyValuePair<string, object?>("hub", hub));

    /// <summary>Retention removed <paramref name="count"/> messages.</summary>
    public void Trimmed(string hub, long count) => _trimmed.Add(count, new KeyValuePair<string, object?>("hub", hub));

    /// <summary><paramref name="count"/> messages were read by a kind of reader.</summary>
    public void Read(string reader, int count) => _read.Add(count, new KeyValuePair<string, object?>("reader", reader));

    /// <summary>A routed message reached an outcome at an endpoint.</summary>
    public void Routed(string endpoint, string outcome) =>
        _routed.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint), new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>An endpoint's delivery from one partition (<paramref name="key"/>) is <paramref name="behind"/> messages behind; null: it stopped.</summary>
    public void Backlog(string key, string endpoint, long? behind)
    {
        if (behind is { } value)
        {
            _backlogs[key] = (endpoint, value);
        }
        else
        {
            _backlogs.TryRemove(key, out _);
        }
    }

    /// <summary>Whether the fan-out of partition <paramref name="key"/> (of <paramref name="hub"/>) hands messages to live listeners.</summary>
    public void Live(string key, string hub, bool live)
    {
        if (live)
        {
            _livePartitions[key] = hub;
        }
        else
        {
            _livePartitions.TryRemove(key, out _);
        }
    }

    private IEnumerable<Measurement<long>> LivePartitions() =>
        _livePartitions.Values.GroupBy(hub => hub, StringComparer.Ordinal).Select(g => new Measurement<long>(g.Count(), new KeyValuePair<string, object?>("hub", g.Key)));

    private IEnumerable<Measurement<long>> Backlogs() =>
        _backlogs.Values.GroupBy(b => b.Endpoint).Select(g => new Measurement<long>(g.Sum(b => b.Behind), new KeyValuePair<string, object?>("endpoint", g.Key)));
}
