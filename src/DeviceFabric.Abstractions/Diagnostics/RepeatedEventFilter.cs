using System.Collections.Concurrent;

namespace DeviceFabric.Diagnostics;

/// <summary>
/// Keeps what the outside can make the node log bounded: of the occurrences of one event for one key (a source address,
/// a device), the first is logged at once and then at most one per interval, carrying the count of those left out in
/// between. Keys are bounded too: past <c>maxKeys</c>, new keys share one bucket. Metrics count every occurrence.
/// </summary>
public sealed class RepeatedEventFilter(TimeProvider time, TimeSpan interval, int maxKeys = 4096)
{
    private const string Overflow = "(other)";

    private readonly ConcurrentDictionary<string, RepeatedEvent> _windows = new(StringComparer.Ordinal);
    private long _lastSweepTicks = long.MinValue;

    /// <summary>
    /// Whether this occurrence for <paramref name="key"/> should be logged; if so, <paramref name="suppressed"/> is how
    /// many were left out since the last one logged.
    /// </summary>
    public bool ShouldLog(string key, out long suppressed)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!_windows.ContainsKey(key) && _windows.Count >= maxKeys)
        {
            ForgetQuietKeys();
            key = _windows.Count >= maxKeys ? Overflow : key;
        }

        return _windows.GetOrAdd(key, static _ => new RepeatedEvent()).ShouldLog(time.GetUtcNow(), interval, out suppressed);
    }

    /// <summary>
    /// Drops keys that have been quiet for a whole interval and have nothing left to report, at most once an interval:
    /// while every key is busy, a stream of new keys must not make each occurrence walk them all.
    /// </summary>
    private void ForgetQuietKeys()
    {
        var now = time.GetUtcNow();
        var last = Interlocked.Read(ref _lastSweepTicks);
        if ((last != long.MinValue && now.UtcTicks - last < interval.Ticks)
            || Interlocked.CompareExchange(ref _lastSweepTicks, now.UtcTicks, last) != last)
        {
            return;
        }

        var cutoff = now - interval;
        foreach (var (key, window) in _windows)
        {
            if (window.IsQuietSince(cutoff))
            {
                _windows.TryRemove(key, out _);
            }
        }
    }
}
