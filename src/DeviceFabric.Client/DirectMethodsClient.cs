using DeviceFabric.Methods;

namespace DeviceFabric.Client;

/// <summary>Direct methods on the hub's devices, with the REST API's semantics and errors.</summary>
public sealed class DirectMethodsClient
{
    private readonly IGrainFactory _grains;
    private readonly string _hub;

    internal DirectMethodsClient(IGrainFactory grains, string hub)
    {
        _grains = grains;
        _hub = hub;
    }

    /// <summary>Calls a method on a connected device and returns its answer.</summary>
    /// <exception cref="DeviceFabricServiceException">
    /// <see cref="DeviceFabricErrorCode.DeviceNotOnline"/> (404) when the device is not connected within the connect timeout or
    /// disconnects during the call; <see cref="DeviceFabricErrorCode.GatewayTimeout"/> (504) when it does not answer in time;
    /// <see cref="DeviceFabricErrorCode.MessageTooLarge"/> (413) for a payload over 128 KB.
    /// </exception>
    public Task<DirectMethodResult> InvokeAsync(string deviceId, DirectMethodRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var grain = _grains.GetGrain<IDeviceMethodGrain>(ClientGuards.DeviceKeyOf(_hub, deviceId));
        return DeviceFabricServiceException.TranslateAsync(() => grain.InvokeMethodAsync(request, cancellationToken));
    }
}
