namespace DeviceFabric.Jobs;

/// <summary>What a hub's job directory stores: every job's listing.</summary>
[GenerateSerializer, Alias("devicefabric.JobDirectoryState")]
public sealed class JobDirectoryState
{
    [Id(0)] public Dictionary<string, JobListing> Jobs { get; set; } = new(StringComparer.Ordinal);
}
