namespace DeviceFabric.Configurations;

/// <summary>What the silo asks of a hub's configurations grain at start-up. Key: the hub name.</summary>
[Alias("devicefabric.IConfigurationsControlGrain")]
internal interface IConfigurationsControlGrain : IGrainWithStringKey
{
    /// <summary>Wakes the grain so its counts and sweep run again after a restart (a sweep repairs an interrupted change).</summary>
    Task ResumeAsync(CancellationToken cancellationToken = default);
}
