using Orleans.Concurrency;

namespace DeviceFabric.Methods;

/// <summary>
/// Direct methods on a device grain. Key: <c>{hub}/{deviceId}</c>. Calls interleave: many may be in flight to one device,
/// each matched to its answer by request id. Calls are not queued across restarts, as in IoT Hub.
/// </summary>
[Alias("devicefabric.IDeviceMethodGrain")]
public interface IDeviceMethodGrain : IGrainWithStringKey
{
    /// <summary>
    /// Sends the call to the device's live session and waits for its answer. Fails with
    /// <see cref="DeviceFabricErrorCode.DeviceNotOnline"/> when the device is not connected and subscribed within the
    /// connect timeout or disconnects during the call, and <see cref="DeviceFabricErrorCode.GatewayTimeout"/> when it does not answer in time.
    /// </summary>
    [AlwaysInterleave]
    Task<DirectMethodResult> InvokeMethodAsync(DirectMethodRequest request, CancellationToken cancellationToken = default);

    /// <summary>The device's answer to request <paramref name="requestId"/>, from its front end; an unknown or late id is dropped.</summary>
    [AlwaysInterleave, OneWay]
    Task CompleteMethodAsync(Guid sessionId, string requestId, int status, string payloadJson);

    /// <summary>The session subscribed to <c>$iothub/methods/POST/#</c>, so calls may be sent to it.</summary>
    [AlwaysInterleave, OneWay]
    Task MethodsSubscribedAsync(Guid sessionId);
}
