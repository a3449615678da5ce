namespace DeviceFabric.Jobs;

/// <summary>A job's entry in its hub's directory.</summary>
[GenerateSerializer, Immutable, Alias("devicefabric.JobListing")]
public sealed record JobListing(
    [property: Id(0)] string JobId,
    [property: Id(1)] JobType Type,
    [property: Id(2)] JobStatus Status,
    [property: Id(3)] DateTimeOffset CreatedTime);
