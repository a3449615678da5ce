using DeviceFabric.Devices;

namespace DeviceFabric.Twins;

/// <summary>
/// Which device generation the twin belongs to. Device-side calls (reported patches, property reads, job patches) use
/// the generation the twin keeps, asking the device grain only once per activation; the device tells its twin when that
/// generation ends, so a reported patch costs the front end one grain call plus the store. Service reads still ask the
/// device, whose identity is part of the twin document.
/// </summary>
internal sealed partial class TwinGrain : ITwinIdentityGrain
{
    public Task DeviceChangedAsync(long deviceVersion)
    {
        _deviceChangedAt = Math.Max(_deviceChangedAt, deviceVersion);
        if (_device is { } known && known.Version < deviceVersion)
        {
            _device = null;
        }

        return Task.CompletedTask;
    }

    /// <summary>The device's current generation, asking the device only when the twin does not know it.</summary>
    private async Task EnsureDeviceGenerationAsync(CancellationToken cancellationToken)
    {
        if (_device is null)
        {
            await CurrentDeviceAsync(cancellationToken);
        }
    }

    /// <summary>The device, creating a fresh twin in memory when the device was re-created since the twin was stored.</summary>
    private async Task<DeviceIdentity> CurrentDeviceAsync(CancellationToken cancellationToken)
    {
        var device = await GrainFactory.GetGrain<IDeviceIdentityGrain>(this.GetPrimaryKeyString()).GetAsync(cancellationToken)
            ?? throw DeviceFabricException.IdentityNotFound(_deviceId);
        var version = ETags.ToVersion(device.ETag);

        // An answer older than a change the device has announced since is used for this call but not kept.
        if (version >= _deviceChangedAt)
        {
            _device = (version, device.GenerationId);
        }

        if (state.State.GenerationId != device.GenerationId)
        {
            state.State = new TwinState { GenerationId = device.GenerationId };
            LoadSections();
        }

        return device;
    }
}
