namespace DeviceFabric.Twins;

/// <summary>The twin as jobs see it: a patch applied at most once per job, returning what it replaced.</summary>
[Alias("devicefabric.ITwinJobGrain")]
internal interface ITwinJobGrain : IGrainWithStringKey
{
    /// <summary>
    /// Merges a job's twin patch (tags and desired) and returns a patch that restores what it replaced. Applied at most
    /// once per job: a resumed job calling again gets the same answer and changes nothing.
    /// </summary>
    Task<string> ApplyJobPatchAsync(string jobId, string patchJson, CancellationToken cancellationToken = default);
}
