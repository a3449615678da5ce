namespace DeviceFabric.Diagnostics;

/// <summary>
/// One event that may repeat: the first occurrence is logged at once, then at most one per interval, carrying the count
/// of those left out in between. Thread-safe; for a grain's own events, or one key of a <see cref="RepeatedEventFilter"/>.
/// </summary>
public sealed class RepeatedEvent
{
    private readonly Lock _gate = new();
    private DateTimeOffset _loggedAt = DateTimeOffset.MinValue;
    private long _suppressed;

    /// <summary>Whether the occurrence at <paramref name="now"/> should be logged; if so, how many were left out before it.</summary>
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

    /// <summary>Whether nothing happened since <paramref name="cutoff"/> and nothing is left to report.</summary>
    public bool IsQuietSince(DateTimeOffset cutoff)
    {
        lock (_gate)
        {
            return _loggedAt < cutoff && _suppressed == 0;
        }
    }
}
