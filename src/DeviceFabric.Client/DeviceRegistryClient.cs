using DeviceFabric.Devices;
using DeviceFabric.Registry;

namespace DeviceFabric.Client;

/// <summary>The device registry of one hub: the same operations and rules as the REST API's <c>/devices</c>.</summary>
public class DeviceRegistryClient
{
    private readonly IGrainFactory _grains;
    private readonly string _hub;

    internal DeviceRegistryClient(IGrainFactory grains, string hub)
    {
        _grains = grains;
        _hub = hub;
    }

    /// <summary>For mocking only.</summary>
    protected DeviceRegistryClient()
    {
        _grains = null!;
        _hub = string.Empty;
    }

    /// <summary>Creates a device; SAS keys left empty are generated.</summary>
    /// <exception cref="DeviceFabricServiceException">The id is invalid (<see cref="DeviceFabricErrorCode.DeviceIdInvalid"/>) or taken (<see cref="DeviceFabricErrorCode.DeviceAlreadyExists"/>).</exception>
    public virtual Task<DeviceIdentity> CreateAsync(string deviceId, DeviceSettings? settings = null, CancellationToken cancellationToken = default)
    {
        return DeviceFabricServiceException.TranslateAsync(() => Device(deviceId).CreateAsync(settings ?? new DeviceSettings(), cancellationToken));
    }

    /// <summary>Returns a device.</summary>
    /// <exception cref="DeviceFabricServiceException">The device does not exist (<see cref="DeviceFabricErrorCode.DeviceNotFound"/>).</exception>
    public virtual Task<DeviceIdentity> GetAsync(string deviceId, CancellationToken cancellationToken = default)
    {
        return DeviceFabricServiceException.TranslateAsync(async () =>
            await Device(deviceId).GetAsync(cancellationToken).ConfigureAwait(false) ?? throw DeviceFabricException.DeviceNotFound(deviceId));
    }

    /// <summary>Replaces a device's settings; with <paramref name="ifMatch"/> set, only if its etag is still that one.</summary>
    /// <exception cref="DeviceFabricServiceException">The device does not exist, or its etag changed (<see cref="DeviceFabricErrorCode.PreconditionFailed"/>).</exception>
    public virtual Task<DeviceIdentity> UpdateAsync(string deviceId, DeviceSettings settings, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return DeviceFabricServiceException.TranslateAsync(() => Device(deviceId).UpdateAsync(settings, ifMatch, cancellationToken));
    }

    /// <summary>
    /// Regenerates the device's primary or secondary key, or swaps them; with <paramref name="ifMatch"/> set, only if its
    /// etag is still that one. Only the session that used the replaced key (if any) is closed.
    /// </summary>
    /// <exception cref="DeviceFabricServiceException">The device does not exist, has no keys (X.509), or its etag changed.</exception>
    public virtual Task<DeviceIdentity> RegenerateKeyAsync(string deviceId, Security.KeyRollover rollover, string? ifMatch = null, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Device(deviceId).RegenerateKeyAsync(rollover, ifMatch, cancellationToken));

    /// <summary>Deletes a device; with <paramref name="ifMatch"/> set, only if its etag is still that one.</summary>
    /// <exception cref="DeviceFabricServiceException">The device does not exist, or its etag changed.</exception>
    public virtual Task DeleteAsync(string deviceId, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        return DeviceFabricServiceException.TranslateAsync(async () =>
        {
            await Device(deviceId).DeleteAsync(ifMatch, cancellationToken).ConfigureAwait(false);
            return true;
        });
    }

    /// <summary>Lists devices in ordinal order of id, up to <paramref name="pageSize"/> (1-1000) a page.</summary>
    public virtual Task<DevicePage> ListAsync(int pageSize = IDeviceRegistryGrain.MaxPageSize, string? continuationToken = null, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Registry.ListAsync(pageSize, continuationToken, cancellationToken));

    /// <summary>Lists every device, page by page.</summary>
    public virtual async IAsyncEnumerable<DeviceIdentity> ListAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? token = null;
        do
        {
            var page = await ListAsync(IDeviceRegistryGrain.MaxPageSize, token, cancellationToken).ConfigureAwait(false);
            foreach (var device in page.Devices)
            {
                yield return device;
            }

            token = page.ContinuationToken;
        }
        while (token is not null);
    }

    /// <summary>Counts the hub's devices.</summary>
    public virtual Task<RegistryStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Registry.GetStatisticsAsync(cancellationToken));

    /// <summary>The device's connection state and its latest connects and disconnects, newest first, with why each session ended.</summary>
    /// <exception cref="DeviceFabricServiceException">The device does not exist (<see cref="DeviceFabricErrorCode.DeviceNotFound"/>).</exception>
    public virtual Task<ConnectionHistory> GetConnectionHistoryAsync(string deviceId, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() =>
            _grains.GetGrain<IDeviceConnectionHistoryGrain>(ClientGuards.DeviceKeyOf(_hub, deviceId)).GetConnectionHistoryAsync(cancellationToken));

    private IDeviceIdentityGrain Device(string deviceId) => _grains.GetGrain<IDeviceIdentityGrain>(ClientGuards.DeviceKeyOf(_hub, deviceId));

    private IDeviceRegistryGrain Registry => _grains.GetGrain<IDeviceRegistryGrain>(_hub);
}
