using System.Diagnostics.Metrics;

namespace DeviceFabric.Transfers;

/// <summary>Metrics of imports, exports and migrations (meter <c>DeviceFabric.Transfers</c>).</summary>
public sealed class TransferInstruments
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "DeviceFabric.Transfers";

    private readonly Counter<long> _devices;
    private readonly Counter<long> _jobs;

    /// <summary>Creates the instruments on a meter of <paramref name="meters"/>.</summary>
    public TransferInstruments(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _devices = meter.CreateCounter<long>(
            "devicefabric-transfer-devices", "{device}", "Devices (or import lines) handled by transfer jobs, by type (import, export, migrate) and outcome (succeeded, failed).");
        _jobs = meter.CreateCounter<long>(
            "devicefabric-transfer-jobs", "{job}", "Transfer jobs that ended, by type and status (completed, failed, cancelled).");
    }

    internal void Handled(TransferType type, bool succeeded, long count = 1) =>
        _devices.Add(count, new KeyValuePair<string, object?>("type", TransferWireNames.Type(type)), new KeyValuePair<string, object?>("outcome", succeeded ? "succeeded" : "failed"));

    internal void Ended(TransferType type, TransferStatus status) =>
        _jobs.Add(1, new KeyValuePair<string, object?>("type", TransferWireNames.Type(type)), new KeyValuePair<string, object?>("status", TransferWireNames.Status(status)));
}
