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

    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    /// <summary>
    /// Whether this occurrence for <paramref name="key"/> should be logged; if so, <paramref name="suppressed"/> is how
    /// many were left out since the last one logged.
    /// </summary>
    public bool ShouldLog(string key, out long suppressed)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!_windows.ContainsKey(key) && _windows.Count >= maxKeys)
        {
            Forget();
            key = _windows.Count >= maxKeys ? Overflow : key;
        }

        return _windows.GetOrAdd(key, static _ => new Window()).ShouldLog(time.GetUtcNow(), interval, out suppressed);
    }

    /// <summary>Drops keys that have been quiet for a whole interval and have nothing left to report.</summary>
    private void Forget()
    {
        var cutoff = time.GetUtcNow() - interval;
        foreach (var (key, window) in _windows)
        {
            if (window.IsQuietSince(cutoff))
            {
                _windows.TryRemove(key, out _);
            }
        }
    }

    private sealed class Window
    {
        private readonly Lock _gate = new();
        private DateTimeOffset _loggedAt = DateTimeOffset.MinValue;
        private long _suppressed;

        public bool ShouldLog(DateTimeOffset now, TimeSpan interval, out long suppressed)
        {
            lock (_gate)
            {
                if (now - _loggedAt >= interval)
                {
                    suppressed = _suppressed;
                    _suppressed = 0;
                    _loggedAt = now;
                    return true;
                }

                _suppressed++;
                suppressed = 0;
                return false;
            }
        }

        public bool IsQuietSince(DateTimeOffset cutoff)
        {
            lock (_gate)
            {
                return _loggedAt < cutoff && _suppressed == 0;
            }
        }
    }
}
