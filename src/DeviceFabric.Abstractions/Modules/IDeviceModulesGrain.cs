using DeviceFabric.Devices;

namespace DeviceFabric.Modules;

/// <summary>
/// A device's modules, kept by the device's grain (key <c>{hub}/{deviceId}</c>): adding and removing go through the
/// device, so it knows them all, deletes them with itself and holds at most <see cref="ModuleIds.MaxPerDevice"/>. A
/// module's own identity is read and updated through <see cref="IDeviceIdentityGrain"/> keyed
/// <c>{hub}/{deviceId}/{moduleId}</c>; its <see cref="DeviceIdentity.DeviceId"/> is then <c>{deviceId}/{moduleId}</c>.
/// </summary>
[Alias("devicefabric.IDeviceModulesGrain")]
public interface IDeviceModulesGrain : IGrainWithStringKey
{
    /// <summary>
    /// Adds a module; fails with <see cref="DeviceFabricErrorCode.DeviceNotFound"/>,
    /// <see cref="DeviceFabricErrorCode.ModuleAlreadyExistsOnDevice"/> or <see cref="DeviceFabricErrorCode.TooManyModulesOnDevice"/>.
    /// SAS keys left empty are generated.
    /// </summary>
    Task<DeviceIdentity> AddModuleAsync(string moduleId, DeviceSettings settings, CancellationToken cancellationToken = default);

    /// <summary>Removes a module, honouring <paramref name="ifMatch"/> (its etag, <c>*</c> or null).</summary>
    Task RemoveModuleAsync(string moduleId, string? ifMatch, CancellationToken cancellationToken = default);

    /// <summary>The device's modules, in the order they were added.</summary>
    Task<IReadOnlyList<DeviceIdentity>> ListModulesAsync(CancellationToken cancellationToken = default);
}
