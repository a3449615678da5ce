using System.Diagnostics.Metrics;

namespace DeviceFabric.Jobs;

/// <summary>Metrics of jobs (meter <c>DeviceFabric.Jobs</c>): the jobs running on this silo and their device operations.</summary>
public sealed class JobInstruments
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "DeviceFabric.Jobs";

    private readonly UpDownCounter<long> _running;
    private readonly Counter<long> _operations;
    private readonly Counter<long> _ended;

    /// <summary>Creates the instruments on a meter of <paramref name="meters"/>.</summary>
    public JobInstruments(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _running = meter.CreateUpDownCounter<long>("devicefabric-jobs-running", "{job}", "Jobs running whose grain is active on this silo.");
        _operations = meter.CreateCounter<long>("devicefabric-job-device-operations", "{operation}", "Per-device operations of jobs, by outcome (succeeded, failed).");
        _ended = meter.CreateCounter<long>("devicefabric-jobs-ended", "{job}", "Jobs that ended, by status (completed, failed, cancelled).");
    }

    internal void RunningChanged(int delta) => _running.Add(delta);

    internal void DeviceOperations(bool succeeded, long count)
    {
        if (count > 0)
        {
            _operations.Add(count, new KeyValuePair<string, object?>("outcome", succeeded ? "succeeded" : "failed"));
        }
    }

    internal void Ended(string status) => _ended.Add(1, new KeyValuePair<string, object?>("status", status));
}
