using System.Diagnostics.Metrics;

namespace DeviceFabric.Query;

/// <summary>Metrics of queries (meter <c>DeviceFabric.Query</c>): how long a page of a query takes across the shards.</summary>
public sealed class QueryInstruments
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "DeviceFabric.Query";

    private readonly Histogram<double> _duration;

    /// <summary>Creates the instruments on a meter of <paramref name="meters"/>.</summary>
    public QueryInstruments(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _duration = meters.Create(MeterName).CreateHistogram<double>("devicefabric-query-duration", "ms", "Time to answer one page of a device query, by kind (select, aggregate) and outcome (ok, invalid).");
    }

    internal void Answered(string kind, bool ok, TimeSpan elapsed) =>
        _duration.Record(elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("outcome", ok ? "ok" : "invalid"));
}
