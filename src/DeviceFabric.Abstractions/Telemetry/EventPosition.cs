using System.Globalization;

namespace DeviceFabric.Telemetry;

/// <summary>Where a read of a partition starts, as Event Hubs' positions: the earliest, the latest, an offset or a time.</summary>
/// <param name="Kind">Which kind of position.</param>
/// <param name="Offset">For <see cref="EventPositionKind.Offset"/> and <see cref="EventPositionKind.AfterOffset"/>.</param>
/// <param name="Time">For <see cref="EventPositionKind.EnqueuedTime"/>: the first event enqueued at or after it.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.EventPosition")]
public readonly record struct EventPosition(
    [property: Id(0)] EventPositionKind Kind,
    [property: Id(1)] long Offset = 0,
    [property: Id(2)] DateTimeOffset Time = default)
{
    /// <summary>The oldest event the partition still holds.</summary>
    public static EventPosition Earliest => new(EventPositionKind.Earliest);

    /// <summary>Only events enqueued after the read starts.</summary>
    public static EventPosition Latest => new(EventPositionKind.Latest);

    /// <summary>The event at <paramref name="offset"/> (inclusive), or the first after it if it was trimmed.</summary>
    public static EventPosition FromOffset(long offset) => new(EventPositionKind.Offset, offset);

    /// <summary>The event after the one at <paramref name="offset"/>: where a checkpoint resumes.</summary>
    public static EventPosition AfterOffset(long offset) => new(EventPositionKind.AfterOffset, offset);

    /// <summary>The first event enqueued at or after <paramref name="time"/>.</summary>
    public static EventPosition FromEnqueuedTime(DateTimeOffset time) => new(EventPositionKind.EnqueuedTime, Time: time);

    /// <summary>
    /// Parses the REST API's <c>from</c>: <c>earliest</c>, <c>latest</c>, <c>offset:{n}</c> or <c>time:{ISO 8601}</c>.
    /// </summary>
    public static bool TryParse(string? text, out EventPosition position)
    {
        position = Earliest;
        switch (text)
        {
            case "earliest":
                return true;
            case "latest":
                position = Latest;
                return true;
        }

        if (text is null)
        {
            return false;
        }

        if (text.StartsWith("offset:", StringComparison.Ordinal)
            && long.TryParse(text.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
        {
            position = FromOffset(offset);
            return true;
        }

        if (text.StartsWith("time:", StringComparison.Ordinal)
            && DateTimeOffset.TryParse(text.AsSpan(5), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            position = FromEnqueuedTime(time);
            return true;
        }

        return false;
    }
}

/// <summary>The kinds of <see cref="EventPosition"/>.</summary>
public enum EventPositionKind
{
    /// <summary>The oldest event held.</summary>
    Earliest,

    /// <summary>What is enqueued after the read starts.</summary>
    Latest,

    /// <summary>At an offset, inclusive.</summary>
    Offset,

    /// <summary>After an offset.</summary>
    AfterOffset,

    /// <summary>At or after an enqueued time.</summary>
    EnqueuedTime,
}
