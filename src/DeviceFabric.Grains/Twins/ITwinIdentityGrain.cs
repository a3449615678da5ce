using Orleans.Concurrency;

namespace DeviceFabric.Twins;

/// <summary>
/// The twin's facet its device grain calls when the device's generation ends (deleted) or a new one begins
/// (re-created): the twin forgets the generation it keeps for device-side calls and asks the device again at the next.
/// </summary>
[Alias("devicefabric.ITwinIdentityGrain")]
internal interface ITwinIdentityGrain : IGrainWithStringKey
{
    /// <summary>
    /// The device's identity changed at <paramref name="deviceVersion"/>. Interleaves, so a twin waiting on its device
    /// never deadlocks with the device telling it this.
    /// </summary>
    [AlwaysInterleave]
    Task DeviceChangedAsync(long deviceVersion);
}
