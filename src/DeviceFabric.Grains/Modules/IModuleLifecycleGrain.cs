using DeviceFabric.Devices;

namespace DeviceFabric.Modules;

/// <summary>
/// What a device's grain asks of its modules' grains (key <c>{hub}/{deviceId}/{moduleId}</c>): to come into being, to
/// go, and to hear that the device was disabled or enabled. Only the device calls these, so it always knows its modules.
/// </summary>
[Alias("devicefabric.IModuleLifecycleGrain")]
internal interface IModuleLifecycleGrain : IGrainWithStringKey
{
    /// <summary>Creates the module; its device is disabled when <paramref name="deviceDisabled"/>.</summary>
    Task<DeviceIdentity> CreateModuleAsync(DeviceSettings settings, bool deviceDisabled, CancellationToken cancellationToken = default);

    /// <summary>Deletes the module, honouring <paramref name="ifMatch"/>; a module that does not exist is already gone.</summary>
    Task DeleteModuleAsync(string? ifMatch, CancellationToken cancellationToken = default);

    /// <summary>The module's device was disabled or enabled: a disabled device's modules may not connect.</summary>
    Task DeviceStatusChangedAsync(bool deviceDisabled, CancellationToken cancellationToken = default);
}
