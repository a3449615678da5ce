using System.Globalization;
using System.Text.Json.Nodes;

namespace DeviceFabric.Devices;

/// <summary>
/// A device's health as queries see it (<c>health.state</c>, <c>health.lastTelemetryTime</c>...): <c>silent</c> when
/// no telemetry came for longer than its expected interval, <c>healthy</c> when it did, <c>unknown</c> without an
/// interval or without telemetry yet. The interval is the twin tag <c>health.expectedIntervalSeconds</c> (set per
/// device, or on many by a job over a tag query), else learned: three times the device's usual gap; never under 30 s.
/// Computed when the query runs, so silence needs no timer.
/// </summary>
internal static class DeviceHealth
{
    /// <summary>How many usual gaps of silence make a device silent when its interval is learned.</summary>
    public const double LearnedTolerance = 3;

    /// <summary>The weight of the newest gap in the learned one.</summary>
    public const double LearningRate = 0.2;

    /// <summary>
    /// The shortest expected interval: the shard hears of a device at most every 15 s after its front end's 5 s activity
    /// report, so a shorter interval would call a fast, healthy device silent between two reports.
    /// </summary>
    public static readonly TimeSpan ShortestInterval = TimeSpan.FromSeconds(30);

    /// <summary>A gap longer than this many learned gaps (an outage, a night) is not learned from.</summary>
    public const double LongestLearnedGap = 10;

    public static JsonObject ToJson(DeviceHealthReport? report, JsonObject twinDocument, DateTimeOffset now)
    {
        var (expected, source) = ExpectedInterval(report, twinDocument);
        var state = report?.LastTelemetry is not { } last || expected is null ? "unknown"
            : now - last > expected ? "silent"
            : "healthy";
        var json = new JsonObject { ["state"] = state };
        if (report is not null)
        {
            json["lastActivityTime"] = report.LastActivity.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
            json["lastTelemetryTime"] = report.LastTelemetry?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
            json["messagesPerMinute"] = Math.Round(report.MessagesPerMinute, 3);
        }

        if (expected is { } interval)
        {
            json["expectedIntervalSeconds"] = interval.TotalSeconds;
            json["intervalSource"] = source;
        }

        return json;
    }

    /// <summary>The gap learned from one more report: an exponentially weighted average of the gaps between messages.</summary>
    public static TimeSpan Learn(TimeSpan? learned, TimeSpan gap) => learned switch
    {
        null => gap,
        { } current when gap > current * LongestLearnedGap => current,
        { } current => TimeSpan.FromTicks((long)((current.Ticks * (1 - LearningRate)) + (gap.Ticks * LearningRate))),
    };

    private static TimeSpan Floor(TimeSpan interval) => interval < ShortestInterval ? ShortestInterval : interval;

    private static (TimeSpan? Interval, string? Source) ExpectedInterval(DeviceHealthReport? report, JsonObject twinDocument)
    {
        if (twinDocument["tags"]?["health"]?["expectedIntervalSeconds"] is JsonValue value
            && value.TryGetValue<double>(out var seconds) && seconds > 0 && seconds < TimeSpan.MaxValue.TotalSeconds)
        {
            return (Floor(TimeSpan.FromSeconds(seconds)), "tag");
        }

        return report?.LearnedInterval is { } learned ? (Floor(learned * LearnedTolerance), "learned") : (null, null);
    }
}
