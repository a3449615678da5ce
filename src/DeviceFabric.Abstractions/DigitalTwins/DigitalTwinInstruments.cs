using System.Diagnostics.Metrics;

namespace DeviceFabric.DigitalTwins;

/// <summary>
/// Metrics of the digital twins (meter <c>DeviceFabric.DigitalTwins</c>): twin and relationship writes by kind and
/// outcome, queries by shape with their duration, and the values devices gave their bound twins.
/// </summary>
public sealed class DigitalTwinInstruments
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "DeviceFabric.DigitalTwins";

    private readonly Counter<long> _writes;
    private readonly Counter<long> _queries;
    private readonly Histogram<double> _queryDuration;
    private readonly Counter<long> _deviceUpdates;

    /// <summary>Creates the instruments on a meter of <paramref name="meters"/>.</summary>
    public DigitalTwinInstruments(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        Meter = meters.Create(MeterName);
        _writes = Meter.CreateCounter<long>("devicefabric-digitaltwin-writes", "{write}", "Twin and relationship writes, by kind (put, patch, delete, relationship) and outcome (stored, refused).");
        _queries = Meter.CreateCounter<long>("devicefabric-digitaltwin-queries", "{query}", "Digital twins queries, by shape (scan, join, match) and outcome.");
        _queryDuration = Meter.CreateHistogram<double>("devicefabric-digitaltwin-query-duration", "ms", "How long a digital twins query page took, by shape.");
        _deviceUpdates = Meter.CreateCounter<long>("devicefabric-digitaltwin-device-updates", "{update}", "Values devices gave their bound twins, by source (reported, telemetry) and outcome (changed, unchanged).");
    }

    /// <summary>The meter the instruments are on.</summary>
    public Meter Meter { get; }

    /// <summary>A write was stored or refused.</summary>
    public void Written(string kind, bool stored) =>
        _writes.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("outcome", stored ? "stored" : "refused"));

    /// <summary>A query page was answered (or failed) after <paramref name="elapsed"/>.</summary>
    public void Queried(string shape, bool answered, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("shape", shape);
        _queries.Add(1, tag, new KeyValuePair<string, object?>("outcome", answered ? "answered" : "refused"));
        _queryDuration.Record(elapsed.TotalMilliseconds, tag);
    }

    /// <summary>A device's values reached its twin.</summary>
    public void DeviceUpdated(string source, bool changed) =>
        _deviceUpdates.Add(1, new KeyValuePair<string, object?>("source", source), new KeyValuePair<string, object?>("outcome", changed ? "changed" : "unchanged"));
}
