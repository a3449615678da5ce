using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace DeviceFabric.Tests.Infrastructure;

/// <summary>Sums what the instruments of one meter (one node's, not another's in the same process) record, by instrument name.</summary>
internal sealed class MeterRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _totals = new(StringComparer.Ordinal);

    public MeterRecorder(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => _totals.AddOrUpdate(instrument.Name, value, (_, total) => total + value));
        _listener.Start();
    }

    public long Total(string instrument) => _totals.GetValueOrDefault(instrument);

    /// <summary>What an observable instrument reports now, summed over its tags.</summary>
    public long Observe(string instrument)
    {
        _totals.TryRemove(instrument, out _);
        _listener.RecordObservableInstruments();
        return _totals.GetValueOrDefault(instrument);
    }

    public void Dispose() => _listener.Dispose();
}
