using System.Text.Json.Nodes;
using DeviceFabric.Devices;
using DeviceFabric.Methods;
using DeviceFabric.Modules;
using DeviceFabric.Twins;

namespace DeviceFabric.Client;

/// <summary>
/// Module identities, module twins and module methods of one hub: the same operations, rules and errors as the REST
/// API's <c>/devices/{id}/modules</c> and <c>/twins/{id}/modules/{moduleId}</c>. A module's
/// <see cref="DeviceIdentity.DeviceId"/> is <c>{deviceId}/{moduleId}</c>.
/// </summary>
public sealed class ModulesClient
{
    private readonly IGrainFactory _grains;
    private readonly string _hub;

    internal ModulesClient(IGrainFactory grains, string hub)
    {
        _grains = grains;
        _hub = hub;
    }

    /// <summary>Adds a module to a device; SAS keys left empty are generated.</summary>
    /// <exception cref="DeviceFabricServiceException">The device does not exist, the module exists (409) or the device has 50 (413).</exception>
    public Task<DeviceIdentity> CreateAsync(string deviceId, string moduleId, DeviceSettings? settings = null, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Device(deviceId).AddModuleAsync(moduleId, settings ?? new DeviceSettings(), cancellationToken));

    /// <summary>Returns a module.</summary>
    /// <exception cref="DeviceFabricServiceException">The module does not exist (<see cref="DeviceFabricErrorCode.ModuleNotFound"/>).</exception>
    public Task<DeviceIdentity> GetAsync(string deviceId, string moduleId, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(async () =>
            await Identity(deviceId, moduleId).GetAsync(cancellationToken).ConfigureAwait(false) ?? throw DeviceFabricException.ModuleNotFound(deviceId, moduleId));

    /// <summary>Replaces a module's credentials and <c>managedBy</c>; with <paramref name="ifMatch"/>, only if its etag is still that one.</summary>
    public Task<DeviceIdentity> UpdateAsync(string deviceId, string moduleId, DeviceSettings settings, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return DeviceFabricServiceException.TranslateAsync(() => Identity(deviceId, moduleId).UpdateAsync(settings, ifMatch, cancellationToken));
    }

    /// <summary>Regenerates a module's primary or secondary key, or swaps them; only a session that used the replaced key closes.</summary>
    public Task<DeviceIdentity> RegenerateKeyAsync(string deviceId, string moduleId, Security.KeyRollover rollover, string? ifMatch = null, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Identity(deviceId, moduleId).RegenerateKeyAsync(rollover, ifMatch, cancellationToken));

    /// <summary>Deletes a module; with <paramref name="ifMatch"/>, only if its etag is still that one.</summary>
    public Task DeleteAsync(string deviceId, string moduleId, string? ifMatch = null, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(async () =>
        {
            await Device(deviceId).RemoveModuleAsync(moduleId, ifMatch, cancellationToken).ConfigureAwait(false);
            return true;
        });

    /// <summary>A device's modules, in the order they were added.</summary>
    public Task<IReadOnlyList<DeviceIdentity>> ListAsync(string deviceId, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Device(deviceId).ListModulesAsync(cancellationToken));

    /// <summary>The module twin in IoT Hub's JSON shape (with <c>deviceId</c> and <c>moduleId</c>).</summary>
    public Task<JsonObject> GetTwinAsync(string deviceId, string moduleId, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(async () => Parse(await Twin(deviceId, moduleId).GetAsync(cancellationToken).ConfigureAwait(false)));

    /// <summary>Merges <c>tags</c> and <c>properties.desired</c> into a module twin (null removes).</summary>
    public Task<JsonObject> UpdateTwinAsync(string deviceId, string moduleId, JsonObject patch, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patch);
        return DeviceFabricServiceException.TranslateAsync(async () =>
            Parse(await Twin(deviceId, moduleId).UpdateAsync(patch.ToJsonString(), ifMatch, cancellationToken).ConfigureAwait(false)));
    }

    /// <summary>Replaces a module twin's <c>tags</c> and <c>properties.desired</c>.</summary>
    public Task<JsonObject> ReplaceTwinAsync(string deviceId, string moduleId, JsonObject twin, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(twin);
        return DeviceFabricServiceException.TranslateAsync(async () =>
            Parse(await Twin(deviceId, moduleId).ReplaceAsync(twin.ToJsonString(), ifMatch, cancellationToken).ConfigureAwait(false)));
    }

    /// <summary>Calls a direct method on a connected module and returns its answer (errors as for a device's).</summary>
    public Task<DirectMethodResult> InvokeMethodAsync(string deviceId, string moduleId, DirectMethodRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var grain = _grains.GetGrain<IDeviceMethodGrain>(ModuleKey(deviceId, moduleId));
        return DeviceFabricServiceException.TranslateAsync(() => grain.InvokeMethodAsync(request, cancellationToken));
    }

    /// <summary>The module's connection state and its latest connects and disconnects, newest first.</summary>
    /// <exception cref="DeviceFabricServiceException">The module does not exist (<see cref="DeviceFabricErrorCode.ModuleNotFound"/>).</exception>
    public Task<ConnectionHistory> GetConnectionHistoryAsync(string deviceId, string moduleId, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() =>
            _grains.GetGrain<IDeviceConnectionHistoryGrain>(ModuleKey(deviceId, moduleId)).GetConnectionHistoryAsync(cancellationToken));

    private IDeviceModulesGrain Device(string deviceId) => _grains.GetGrain<IDeviceModulesGrain>(ClientGuards.DeviceKeyOf(_hub, deviceId));

    private IDeviceIdentityGrain Identity(string deviceId, string moduleId) => _grains.GetGrain<IDeviceIdentityGrain>(ModuleKey(deviceId, moduleId));

    private ITwinServiceGrain Twin(string deviceId, string moduleId) => _grains.GetGrain<ITwinServiceGrain>(ModuleKey(deviceId, moduleId));

    private string ModuleKey(string deviceId, string moduleId)
    {
        ClientGuards.DeviceKeyOf(_hub, deviceId);
        if (!ModuleIds.IsValid(moduleId))
        {
            throw new DeviceFabricServiceException(DeviceFabricErrorCode.ArgumentInvalid, $"Module id '{moduleId}' is invalid.");
        }

        return DeviceKey.Create(_hub, ModuleIds.Compose(deviceId, moduleId));
    }

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
