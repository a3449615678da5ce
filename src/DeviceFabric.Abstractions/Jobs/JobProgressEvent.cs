namespace DeviceFabric.Jobs;

/// <summary>A job's progress, published on the hub's job stream at each change of state and as devices finish.</summary>
[GenerateSerializer, Immutable, Alias("devicefabric.JobProgressEvent")]
public sealed record JobProgressEvent(
    [property: Id(0)] string Hub,
    [property: Id(1)] string JobId,
    [property: Id(2)] JobStatus Status,
    [property: Id(3)] DeviceJobStatistics Statistics,
    [property: Id(4)] DateTimeOffset At);
