namespace DeviceFabric.Jobs;

/// <summary>How job grains keep their hub's directory up to date.</summary>
[Alias("devicefabric.IJobDirectoryControlGrain")]
internal interface IJobDirectoryControlGrain : IGrainWithStringKey
{
    /// <summary>Adds or updates a job's entry; returns once stored.</summary>
    Task RecordAsync(JobListing listing, CancellationToken cancellationToken = default);

    /// <summary>Wakes every job that has not ended, so scheduled ones start on time and running ones resume.</summary>
    Task ResumeAllAsync(CancellationToken cancellationToken = default);
}
