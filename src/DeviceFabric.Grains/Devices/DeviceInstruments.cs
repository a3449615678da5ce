using System.Diagnostics.Metrics;

namespace DeviceFabric.Devices;

/// <summary>
/// Metrics of the device plane's grains (meter <c>DeviceFabric.Devices</c>): twin reads and writes, direct method calls
/// and their latency, cloud-to-device messages by what happened to them, the messages queued in the device grains
/// active on this silo, and sessions ended by why.
/// </summary>
public sealed class DeviceInstruments
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "DeviceFabric.Devices";

    private readonly Counter<long> _twinReads;
    private readonly Counter<long> _twinWrites;
    private readonly Counter<long> _methodCalls;
    private readonly Histogram<double> _methodDuration;
    private readonly Counter<long> _cloudToDevice;
    private readonly UpDownCounter<long> _queueDepth;
    private readonly Counter<long> _sessionsEnded;

    /// <summary>Creates the instruments on a meter of <paramref name="meters"/>.</summary>
    public DeviceInstruments(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = Meter = meters.Create(MeterName);
        _twinReads = meter.CreateCounter<long>("devicefabric-twin-reads", "{read}", "Twin reads, by who read (device, service).");
        _twinWrites = meter.CreateCounter<long>("devicefabric-twin-writes", "{write}", "Stored twin changes, by kind (reported, patch, replace, job).");
        _methodCalls = meter.CreateCounter<long>("devicefabric-method-calls", "{call}", "Direct method calls, by outcome (answered, timeout, offline).");
        _methodDuration = meter.CreateHistogram<double>("devicefabric-method-duration", "ms", "Time from a direct method call to the device's answer (answered calls).");
        _cloudToDevice = meter.CreateCounter<long>("devicefabric-c2d-messages", "{message}", "Cloud-to-device messages, by event (sent, delivered, completed, expired, exhausted, purged).");
        _queueDepth = meter.CreateUpDownCounter<long>("devicefabric-c2d-queue-depth", "{message}", "Cloud-to-device messages waiting in the device grains active on this silo.");
        _sessionsEnded = meter.CreateCounter<long>(
            "devicefabric-sessions-ended", "{session}", "Device and module sessions ended, by reason (device disconnected, connection lost, superseded by a new connection, device disabled...).");
    }

    /// <summary>The meter the instruments are on.</summary>
    public Meter Meter { get; }

    /// <summary>A session ended; <paramref name="reason"/> is one of the fabric's own few fixed reasons, never a device's text.</summary>
    internal void SessionEnded(string reason) => _sessionsEnded.Add(1, new KeyValuePair<string, object?>("reason", reason));

    internal void TwinRead(string by) => _twinReads.Add(1, new KeyValuePair<string, object?>("by", by));

    internal void TwinWritten(string kind) => _twinWrites.Add(1, new KeyValuePair<string, object?>("kind", kind));

    internal void MethodCalled(string outcome, TimeSpan? duration)
    {
        _methodCalls.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        if (duration is { } elapsed)
        {
            _methodDuration.Record(elapsed.TotalMilliseconds);
        }
    }

    internal void CloudToDevice(string what, long count = 1)
    {
        if (count > 0)
        {
            _cloudToDevice.Add(count, new KeyValuePair<string, object?>("event", what));
        }
    }

    internal void QueueDepthChanged(long delta)
    {
        if (delta != 0)
        {
            _queueDepth.Add(delta);
        }
    }
}
