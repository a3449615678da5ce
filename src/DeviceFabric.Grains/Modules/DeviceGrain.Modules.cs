using DeviceFabric.Modules;

namespace DeviceFabric.Devices;

/// <summary>
/// Modules. A device's grain keeps its module ids and is the only way in and out for them; a module's grain (the same
/// class, keyed by its identity id) answers its device here. The id is recorded before the module is created, so a
/// crash between the two leaves a recorded id without a module, which the next add of that id repairs, never a module
/// its device does not know and would not delete.
/// </summary>
internal sealed partial class DeviceGrain : IDeviceModulesGrain, IModuleLifecycleGrain
{
    private static readonly TimeSpan s_modulesStatusRetry = TimeSpan.FromSeconds(10);

    private IGrainTimer? _modulesStatusRetry;

    private bool IsModule => _moduleId is not null;

    private string Noun => IsModule ? "Module" : "Device";

    private DeviceFabricErrorCode NotFoundCode => IsModule ? DeviceFabricErrorCode.ModuleNotFound : DeviceFabricErrorCode.DeviceNotFound;

    public async Task<DeviceIdentity> AddModuleAsync(string moduleId, DeviceSettings settings, CancellationToken cancellationToken = default)
    {
        ThrowIfModule("given modules");
        ModuleIds.ThrowIfInvalid(moduleId, allowSystem: false);
        if (ModuleIds.IsEdgeSystemModule(moduleId))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"{moduleId} is created with the IoT Edge device, not by a caller.");
        }

        return await AddModuleCoreAsync(moduleId, settings, cancellationToken);
    }

    public async Task RemoveModuleAsync(string moduleId, string? ifMatch, CancellationToken cancellationToken = default)
    {
        ThrowIfModule("given modules");
        if (!state.State.Exists)
        {
            throw DeviceFabricException.DeviceNotFound(_deviceId);
        }

        if (!state.State.Modules.Contains(moduleId))
        {
            throw DeviceFabricException.ModuleNotFound(_deviceId, moduleId);
        }

        await Module(moduleId).DeleteModuleAsync(ifMatch, cancellationToken);
        state.State.Modules.Remove(moduleId);
        await state.WriteStateAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<DeviceIdentity>> ListModulesAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfModule("given modules");
        if (!state.State.Exists)
        {
            throw DeviceFabricException.DeviceNotFound(_deviceId);
        }

        var modules = await Task.WhenAll(state.State.Modules.Select(m =>
            GrainFactory.GetGrain<IDeviceIdentityGrain>(DeviceKey.Create(_hub, ModuleIds.Compose(_deviceId, m))).GetAsync(cancellationToken)));
        return [.. modules.OfType<DeviceIdentity>()];
    }

    public async Task<DeviceIdentity> CreateModuleAsync(DeviceSettings settings, bool deviceDisabled, CancellationToken cancellationToken = default)
    {
        ThrowUnlessModule();
        if (state.State.Exists)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ModuleAlreadyExistsOnDevice, $"Module {_moduleId} already exists on device {_parentId}.");
        }

        state.State.DeviceDisabled = deviceDisabled;
        return await CreateIdentityAsync(settings, cancellationToken);
    }

    public async Task DeleteModuleAsync(string? ifMatch, CancellationToken cancellationToken = default)
    {
        ThrowUnlessModule();
        if (!state.State.Exists)
        {
            return;
        }

        ThrowUnlessExistsAndMatches(ifMatch);
        await DeleteIdentityAsync(cancellationToken);
    }

    public async Task DeviceStatusChangedAsync(bool deviceDisabled, CancellationToken cancellationToken = default)
    {
        ThrowUnlessModule();
        if (!state.State.Exists || state.State.DeviceDisabled == deviceDisabled)
        {
            return;
        }

        state.State.DeviceDisabled = deviceDisabled;
        await state.WriteStateAsync(cancellationToken);
        if (deviceDisabled)
        {
            await EndLiveSessionAsync("device disabled");
        }
    }

    private async Task<DeviceIdentity> AddModuleCoreAsync(string moduleId, DeviceSettings settings, CancellationToken cancellationToken)
    {
        if (!state.State.Exists)
        {
            throw DeviceFabricException.DeviceNotFound(_deviceId);
        }

        var modules = state.State.Modules;
        var recorded = modules.Contains(moduleId);
        if (recorded && await Identity(moduleId).GetAsync(cancellationToken) is not null)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ModuleAlreadyExistsOnDevice, $"Module {moduleId} already exists on device {_deviceId}.");
        }

        if (!recorded)
        {
            if (modules.Count >= ModuleIds.MaxPerDevice)
            {
                throw new DeviceFabricException(DeviceFabricErrorCode.TooManyModulesOnDevice, $"Device {_deviceId} already has {ModuleIds.MaxPerDevice} modules, the most it may have.");
            }

            modules.Add(moduleId);
            try
            {
                await state.WriteStateAsync(cancellationToken);
            }
            catch
            {
                modules.Remove(moduleId);
                throw;
            }
        }

        try
        {
            return await Module(moduleId).CreateModuleAsync(settings with { Status = DeviceStatus.Enabled, IsEdge = false }, state.State.Status == DeviceStatus.Disabled, cancellationToken);
        }
        catch (DeviceFabricException ex) when (ex.Code != DeviceFabricErrorCode.ModuleAlreadyExistsOnDevice)
        {
            modules.Remove(moduleId);
            await state.WriteStateAsync(cancellationToken);
            throw;
        }
    }

    /// <summary>An IoT Edge device has the IoT Edge runtime's two modules from the moment it is one.</summary>
    private async Task EnsureEdgeModulesAsync(CancellationToken cancellationToken)
    {
        if (IsModule || !state.State.Exists || !state.State.IsEdge)
        {
            return;
        }

        foreach (var system in new[] { ModuleIds.EdgeAgent, ModuleIds.EdgeHub })
        {
            if (!state.State.Modules.Contains(system))
            {
                await AddModuleCoreAsync(system, new DeviceSettings(), cancellationToken);
            }
        }
    }

    private async Task DeleteModulesAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(state.State.Modules.Select(m => Module(m).DeleteModuleAsync(ifMatch: null, cancellationToken)));
        state.State.Modules = [];
    }

    /// <summary>
    /// Tells the modules a status change that is pending, then records that they heard it. A failure is logged, not
    /// reported (the device's change is stored): the next update or activation tells them again.
    /// </summary>
    private async Task TellModulesStatusAsync(CancellationToken cancellationToken)
    {
        if (IsModule || !state.State.Exists || !state.State.ModulesStatusPending)
        {
            return;
        }

        try
        {
            var disabled = state.State.Status == DeviceStatus.Disabled;
            await Task.WhenAll(state.State.Modules.Select(m => Module(m).DeviceStatusChangedAsync(disabled, cancellationToken)));
            state.State.ModulesStatusPending = false;
            await state.WriteStateAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogModulesNotTold(logger, ex, _hub, _deviceId);

            // Until they have heard, the device stays active and tries again: a disabled device's modules must not
            // stay connected waiting for the device's next activation, which may never come.
            _modulesStatusRetry ??= this.RegisterGrainTimer(
                async _ =>
                {
                    await TellModulesStatusAsync(CancellationToken.None);
                    if (!state.State.ModulesStatusPending)
                    {
                        _modulesStatusRetry?.Dispose();
                        _modulesStatusRetry = null;
                    }
                },
                new GrainTimerCreationOptions { DueTime = s_modulesStatusRetry, Period = s_modulesStatusRetry, KeepAlive = true });
        }
    }

    private IModuleLifecycleGrain Module(string moduleId) =>
        GrainFactory.GetGrain<IModuleLifecycleGrain>(DeviceKey.Create(_hub, ModuleIds.Compose(_deviceId, moduleId)));

    private IDeviceIdentityGrain Identity(string moduleId) =>
        GrainFactory.GetGrain<IDeviceIdentityGrain>(DeviceKey.Create(_hub, ModuleIds.Compose(_deviceId, moduleId)));

    /// <summary>
    /// Asks a new device's or module's twin, one way, to apply the configurations that target it (a configuration for
    /// every device applies to one created later); nothing when the hub has none that could.
    /// </summary>
    private async Task ReconcileTwinSoonAsync(bool always = false)
    {
        try
        {
            // Never waits on the catalog: a module (rare, and perhaps created by the edge agent for a deployment this
            // silo has not read yet) or a hub whose catalog this silo has not read lets the twin find out.
            var catalog = catalogs.Held(GrainFactory, _hub);
            var relevant = always || IsModule || catalog is null || catalog.Device.Count > 0 || (state.State.IsEdge && catalog.Edge.Count > 0);
            if (relevant)
            {
                await GrainFactory.GetGrain<Configurations.ITwinConfigurationGrain>(this.GetPrimaryKeyString()).ReconcileSoonAsync(catalog?.Version ?? -1, tellModules: true);
            }
        }
        catch (Exception ex)
        {
            LogTwinNotTold(logger, ex, _hub, _deviceId);
        }
    }

    private void ThrowIfModule(string what)
    {
        if (IsModule)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"Module {_deviceId} cannot be {what}: that is done through its device.");
        }
    }

    private void ThrowUnlessModule()
    {
        if (!IsModule)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"{_deviceId} is a device, not a module.");
        }
    }
}
