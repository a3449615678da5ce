namespace DeviceFabric.Security;

/// <summary>
/// A hub's own settings: its shared access policies, created with fresh keys on first use and stored. Key: the hub name.
/// </summary>
[Alias("devicefabric.IHubGrain")]
public interface IHubGrain : IGrainWithStringKey
{
    /// <summary>The hub's policies, creating the defaults on first call.</summary>
    Task<IReadOnlyList<SharedAccessPolicy>> GetAccessPoliciesAsync(CancellationToken cancellationToken = default);
}
