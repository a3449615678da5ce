namespace DeviceFabric.Devices;

/// <summary>
/// The device's liveliness: its last telemetry, its rate and its usual gap, learned from the activity reports of its
/// front end and stored lazily with its connection state; the registry shard hears of it at most every 15 s, for
/// queries on <c>health</c>.
/// </summary>
internal sealed partial class DeviceGrain
{
    private void TelemetryArrived(DateTimeOffset at, int messages)
    {
        var s = state.State;
        if (s.LastTelemetryTime is not { } last || at - last > s_healthReportInterval)
        {
            // Back after a silence (or the first message): the shard hears of it now, not at the next interval.
            _healthReportedAt = default;
        }

        if (s.LastTelemetryTime is { } previous && at > previous)
        {
            var elapsed = at - previous;
            s.LearnedTelemetryGap = DeviceHealth.Learn(s.LearnedTelemetryGap, elapsed / messages);
            var rate = messages / Math.Max(elapsed.TotalMinutes, 1.0 / 60);
            _messagesPerMinute = _messagesPerMinute == 0 ? rate : (_messagesPerMinute * (1 - DeviceHealth.LearningRate)) + (rate * DeviceHealth.LearningRate);
        }

        s.LastTelemetryTime = at;
    }

    /// <summary>Tells the shard, one way and at most every 15 s unless telemetry resumed after a silence.</summary>
    private void ReportHealth(DateTimeOffset now)
    {
        if (now - _healthReportedAt < s_healthReportInterval || IsModule)
        {
            return;
        }

        _healthReportedAt = now;
        var s = state.State;
        _ = Shard.ReportHealthAsync(_deviceId, new DeviceHealthReport(s.LastActivityTime, s.LastTelemetryTime, _messagesPerMinute, s.LearnedTelemetryGap));
    }
}
