namespace DeviceFabric.Jobs;

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
