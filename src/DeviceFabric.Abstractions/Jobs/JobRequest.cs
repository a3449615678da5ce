namespace DeviceFabric.Jobs;

/// <summary>What a job does to each device it targets, as IoT Hub's <c>type</c>.</summary>
public enum JobType
{
    /// <summary>Merges a twin patch (tags and desired properties) into each device's twin.</summary>
    ScheduleUpdateTwin,

    /// <summary>Calls a direct method on each device.</summary>
    ScheduleDeviceMethod,
}

/// <summary>A job's state, as IoT Hub's <c>status</c>.</summary>
public enum JobStatus
{
    /// <summary>Accepted; starts at its start time.</summary>
    Scheduled,

    /// <summary>Working through its devices.</summary>
    Running,

    /// <summary>Every device was handled (some may have failed).</summary>
    Completed,

    /// <summary>Stopped by its failure threshold or its maximum execution time.</summary>
    Failed,

    /// <summary>Cancelled by a caller.</summary>
    Cancelled,
}

/// <summary>The direct method a <see cref="JobType.ScheduleDeviceMethod"/> job calls.</summary>
/// <param name="MethodName">The method's name.</param>
/// <param name="PayloadJson">The payload as JSON text (<c>null</c> when none).</param>
/// <param name="ResponseTimeout">How long each device has to answer.</param>
/// <param name="ConnectTimeout">How long to wait for each device to be online.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.JobMethod")]
public sealed record JobMethod(
    [property: Id(0)] string MethodName,
    [property: Id(1)] string PayloadJson,
    [property: Id(2)] TimeSpan ResponseTimeout,
    [property: Id(3)] TimeSpan ConnectTimeout);

/// <summary>A request to schedule a job, as IoT Hub's <c>PUT /jobs/v2/{id}</c> body.</summary>
/// <param name="Type">What the job does.</param>
/// <param name="QueryCondition">The WHERE condition that picks the devices, evaluated when the job starts.</param>
/// <param name="UpdateTwinJson">The twin patch, for twin-update jobs.</param>
/// <param name="Method">The method, for method jobs.</param>
/// <param name="StartTime">When to start; null or past (within a grace period) means now.</param>
/// <param name="MaxExecutionTime">How long the job may run before the devices not yet reached fail; default one hour.</param>
/// <param name="FailureThreshold">
/// Beyond IoT Hub: the fraction of devices (0 to 1) that may fail before the job stops and, for twin updates, rolls back.
/// </param>
[GenerateSerializer, Immutable, Alias("devicefabric.JobRequest")]
public sealed record JobRequest(
    [property: Id(0)] JobType Type,
    [property: Id(1)] string QueryCondition,
    [property: Id(2)] string? UpdateTwinJson,
    [property: Id(3)] JobMethod? Method,
    [property: Id(4)] DateTimeOffset? StartTime,
    [property: Id(5)] TimeSpan? MaxExecutionTime,
    [property: Id(6)] double? FailureThreshold = null);

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
