using System.Diagnostics.Metrics;

namespace DeviceFabric.Configurations;

/// <summary>
/// Metrics of automatic configurations and IoT Edge deployments (meter <c>DeviceFabric.Configurations</c>): twins
/// reconciled and what that changed, and each configuration's counts as last computed.
/// </summary>
public sealed class ConfigurationInstruments
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "DeviceFabric.Configurations";

    private readonly Counter<long> _reconciled;
    private readonly Counter<long> _metricRuns;

    /// <summary>Creates the instruments on a meter of <paramref name="meters"/>.</summary>
    public ConfigurationInstruments(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _reconciled = meter.CreateCounter<long>(
            "devicefabric-configuration-reconciliations", "{twin}", "Twins that applied the configurations targeting them, by outcome (changed, unchanged, failed).");
        _metricRuns = meter.CreateCounter<long>(
            "devicefabric-configuration-metric-runs", "{run}", "Computations of every configuration's counts of a hub.");
    }

    internal void Reconciled(string outcome) => _reconciled.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    internal void MetricsComputed() => _metricRuns.Add(1);
}
