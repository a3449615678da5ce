namespace DeviceFabric.LoadTest;

/// <summary>Latencies of one run, recorded without locks, and the percentiles the report quotes.</summary>
public sealed class LatencyRecorder(int capacity)
{
    private readonly long[] _ticks = new long[Math.Max(capacity, 1)];
    private int _count;
    private int _errors;

    public int Count => Math.Min(_count, _ticks.Length);

    public int Errors => _errors;

    public void Record(TimeSpan latency)
    {
        var index = Interlocked.Increment(ref _count) - 1;
        if (index < _ticks.Length)
        {
            _ticks[index] = latency.Ticks;
        }
    }

    public void Error() => Interlocked.Increment(ref _errors);

    public double PercentileMs(double percentile)
    {
        var count = Count;
        if (count == 0)
        {
            return 0;
        }

        var sorted = _ticks[..count];
        Array.Sort(sorted);
        var index = (int)Math.Min(count - 1, Math.Ceiling(percentile / 100 * count) - 1);
        return TimeSpan.FromTicks(sorted[Math.Max(index, 0)]).TotalMilliseconds;
    }
}
