namespace DeviceFabric.Devices;

/// <summary>
/// What a device grain tells its registry shard about the device's liveliness, for the query document's <c>health</c>:
/// the shard keeps the newest in memory and computes the state at query time, so silence needs no timer.
/// </summary>
/// <param name="LastActivity">The last packet of any kind.</param>
/// <param name="LastTelemetry">The last device-to-cloud message, if any since the device grain was activated.</param>
/// <param name="MessagesPerMinute">The recent telemetry rate (an exponentially weighted average).</param>
/// <param name="LearnedInterval">The device's usual gap between messages, learned from its history.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.DeviceHealthReport")]
public sealed record DeviceHealthReport(
    [property: Id(0)] DateTimeOffset LastActivity,
    [property: Id(1)] DateTimeOffset? LastTelemetry,
    [property: Id(2)] double MessagesPerMinute,
    [property: Id(3)] TimeSpan? LearnedInterval);
