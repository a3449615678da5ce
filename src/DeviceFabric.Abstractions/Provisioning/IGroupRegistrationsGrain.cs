using Orleans.Concurrency;

namespace DeviceFabric.Provisioning;

/// <summary>
/// One shard of the registration ids an enrollment group has registered, for the group's registrations query. Key:
/// <see cref="GroupRegistrations.Key"/>. A registration is listed once it is stored; concurrent registrations share one write.
/// </summary>
[Alias("devicefabric.IGroupRegistrationsGrain")]
public interface IGroupRegistrationsGrain : IGrainWithStringKey
{
    /// <summary>Records a registration made through the group; returns once stored.</summary>
    [AlwaysInterleave]
    Task RecordAsync(string registrationId, CancellationToken cancellationToken = default);

    /// <summary>This shard's registration ids after <paramref name="after"/>, in ordinal order.</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<string>> ListAsync(string? after, int maxCount, CancellationToken cancellationToken = default);
}
