namespace DeviceFabric.Jobs;

/// <summary>What each slice of a job is told to do.</summary>
[GenerateSerializer, Immutable, Alias("devicefabric.JobPlan")]
public sealed record JobPlan(
    [property: Id(0)] string JobId,
    [property: Id(1)] JobRequest Request,
    [property: Id(2)] DateTimeOffset CreatedTime,
    [property: Id(3)] DateTimeOffset Deadline,
    [property: Id(4)] string? RollbackOf);
