namespace DeviceFabric.Jobs;

/// <summary>How many of a job's devices are in each state, as IoT Hub's <c>deviceJobStatistics</c>.</summary>
[GenerateSerializer, Immutable, Alias("devicefabric.DeviceJobStatistics")]
public sealed record DeviceJobStatistics(
    [property: Id(0)] long DeviceCount,
    [property: Id(1)] long FailedCount,
    [property: Id(2)] long SucceededCount,
    [property: Id(3)] long RunningCount,
    [property: Id(4)] long PendingCount)
{
    /// <summary>No devices.</summary>
    public static DeviceJobStatistics Empty { get; } = new(0, 0, 0, 0, 0);

    /// <summary>The sum of two sets of counts.</summary>
    public DeviceJobStatistics Add(DeviceJobStatistics other) => new(
        DeviceCount + other.DeviceCount,
        FailedCount + other.FailedCount,
        SucceededCount + other.SucceededCount,
        RunningCount + other.RunningCount,
        PendingCount + other.PendingCount);
}
