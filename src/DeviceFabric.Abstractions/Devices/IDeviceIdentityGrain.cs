namespace DeviceFabric.Devices;

/// <summary>
/// The service-side facet of a device grain: its identity in the registry. Key: <c>{hub}/{deviceId}</c>
/// (see <see cref="DeviceKey"/>). Every write returns only after the change is stored.
/// </summary>
[Alias("devicefabric.IDeviceIdentityGrain")]
public interface IDeviceIdentityGrain : IGrainWithStringKey
{
    /// <summary>Creates the device; fails with <see cref="DeviceFabricErrorCode.DeviceAlreadyExists"/> if it exists.</summary>
    Task<DeviceIdentity> CreateAsync(DeviceSettings settings, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the device's settings. <paramref name="ifMatch"/> is the etag the caller last saw, <c>*</c> or null for
    /// any; fails with <see cref="DeviceFabricErrorCode.DeviceNotFound"/> or <see cref="DeviceFabricErrorCode.PreconditionFailed"/>.
    /// </summary>
    Task<DeviceIdentity> UpdateAsync(DeviceSettings settings, string? ifMatch, CancellationToken cancellationToken = default);

    /// <summary>
    /// Regenerates the device's primary or secondary key, or swaps them (SAS devices only), honouring
    /// <paramref name="ifMatch"/>. The live session ends only if it authenticated with the key that was replaced.
    /// </summary>
    Task<DeviceIdentity> RegenerateKeyAsync(Security.KeyRollover rollover, string? ifMatch, CancellationToken cancellationToken = default);

    /// <summary>Returns the device, or null when it does not exist.</summary>
    Task<DeviceIdentity?> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes the device, honouring <paramref name="ifMatch"/> as <see cref="UpdateAsync"/> does.</summary>
    Task DeleteAsync(string? ifMatch, CancellationToken cancellationToken = default);
}
