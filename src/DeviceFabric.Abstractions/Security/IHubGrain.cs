namespace DeviceFabric.Security;

/// <summary>
/// A hub's shared access policies, created with fresh keys on first use and stored. Key: the hub name. A change that
/// replaces or removes a key takes effect at once: the next token signed with it is refused, and every front end closes
/// the device sessions that authenticated with it.
/// </summary>
[Alias("devicefabric.IHubGrain")]
public interface IHubGrain : IGrainWithStringKey
{
    /// <summary>The most policies a hub has, as IoT Hub.</summary>
    public const int MaxPolicies = 16;

    /// <summary>The hub's policies, creating the defaults on first call.</summary>
    Task<IReadOnlyList<SharedAccessPolicy>> GetAccessPoliciesAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates a policy or replaces its rights and keys; fails with <see cref="DeviceFabricErrorCode.ArgumentInvalid"/> for bad settings.</summary>
    Task<SharedAccessPolicy> PutPolicyAsync(PolicySettings settings, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes a policy; fails with <see cref="DeviceFabricErrorCode.PolicyNotFound"/>, or with
    /// <see cref="DeviceFabricErrorCode.ArgumentInvalid"/> when it is the last one with every right.
    /// </summary>
    Task DeletePolicyAsync(string keyName, CancellationToken cancellationToken = default);

    /// <summary>Regenerates the primary or secondary key of a policy, or swaps them.</summary>
    Task<SharedAccessPolicy> RegenerateKeyAsync(string keyName, KeyRollover rollover, CancellationToken cancellationToken = default);
}
