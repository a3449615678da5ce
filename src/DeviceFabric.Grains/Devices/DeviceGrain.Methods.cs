using System.Buffers;
using System.Globalization;
using System.Text;
using DeviceFabric.Json;
using DeviceFabric.Methods;
using Microsoft.Extensions.Logging;

namespace DeviceFabric.Devices;

/// <summary>
/// Direct methods: a call waits (up to its connect timeout) for a session subscribed to methods, is sent with a fresh
/// request id, and completes with the device's answer, a timeout, or at once when the session ends.
/// </summary>
internal sealed partial class DeviceGrain : IDeviceMethodGrain
{
    private static readonly SearchValues<char> s_methodNameForbidden = SearchValues.Create("$()<>@,;:\\\"/[]?={} \t");

    public async Task<DirectMethodResult> InvokeMethodAsync(DirectMethodRequest request, CancellationToken cancellationToken = default)
    {
        ValidateMethodRequest(request);
        if (_live is not { MethodsSubscribed: true })
        {
            if (request.ConnectTimeout <= TimeSpan.Zero
                || await Task.WhenAny(_methodsReady.Task, Task.Delay(request.ConnectTimeout, clock.Time, cancellationToken)) != _methodsReady.Task)
            {
                deviceInstruments.MethodCalled("offline", duration: null);
                throw NotOnline("is not connected and subscribed to direct methods");
            }
        }

        var live = _live!;
        var requestId = (++_nextRequestId).ToString("x", CultureInfo.InvariantCulture);
        var pending = new TaskCompletionSource<DirectMethodResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        live.PendingMethods[requestId] = pending;
        try
        {
            var started = clock.Time.GetTimestamp();
            await live.Session.FrontEnd.DeliverAsync(_hub, _deviceId, live.SessionId, new DirectMethodCall(request.MethodName, requestId, request.PayloadJson));
            var answered = await Task.WhenAny(pending.Task, Task.Delay(request.ResponseTimeout, clock.Time, cancellationToken));
            if (answered != pending.Task)
            {
                deviceInstruments.MethodCalled("timeout", duration: null);
                throw new DeviceFabricException(DeviceFabricErrorCode.GatewayTimeout, $"Device {_deviceId} did not answer {request.MethodName} within {request.ResponseTimeout.TotalSeconds} s.");
            }

            deviceInstruments.MethodCalled("answered", clock.Time.GetElapsedTime(started));
            return await pending.Task;
        }
        finally
        {
            live.PendingMethods.Remove(requestId);
        }
    }

    public Task CompleteMethodAsync(Guid sessionId, string requestId, int status, string payloadJson)
    {
        if (_live?.SessionId == sessionId && _live.PendingMethods.TryGetValue(requestId, out var pending))
        {
            pending.TrySetResult(new DirectMethodResult(status, payloadJson));
        }
        else if (_unknownMethodResponses.ShouldLog(clock.Time.GetUtcNow(), s_repeatedLogInterval, out var suppressed))
        {
            LogUnknownMethodResponse(logger, _hub, _deviceId, requestId, suppressed);
        }

        return Task.CompletedTask;
    }

    public Task MethodsSubscribedAsync(Guid sessionId)
    {
        if (_live?.SessionId == sessionId)
        {
            _live.MethodsSubscribed = true;
            _methodsReady.TrySetResult();
        }

        return Task.CompletedTask;
    }

    /// <summary>Called when the session ends: calls waiting on it fail at once rather than at their timeout.</summary>
    private void MethodsOnDetach(LiveSession ending)
    {
        if (_methodsReady.Task.IsCompleted)
        {
            _methodsReady = NewSignal();
        }

        foreach (var pending in ending.PendingMethods.Values)
        {
            pending.TrySetException(NotOnline("disconnected during the call"));
        }
    }

    internal static void ValidateMethodRequest(DirectMethodRequest request)
    {
        if (string.IsNullOrEmpty(request.MethodName) || request.MethodName.Length > 128
            || request.MethodName.AsSpan().ContainsAny(s_methodNameForbidden) || request.MethodName.Any(c => c < 0x21 || c > 0x7E))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "methodName must be 1-128 printable US-ASCII characters without $ ( ) < > @ , ; : \\ \" / [ ] ? = { }.");
        }

        if (request.ResponseTimeout < TimeSpan.FromSeconds(5) || request.ResponseTimeout > TimeSpan.FromSeconds(300))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "responseTimeoutInSeconds must be between 5 and 300.");
        }

        if (request.ConnectTimeout < TimeSpan.Zero || request.ConnectTimeout > TimeSpan.FromSeconds(300))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "connectTimeoutInSeconds must be between 0 and 300.");
        }

        if (Encoding.UTF8.GetByteCount(request.PayloadJson) > DirectMethodRequest.MaxPayloadBytes)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.MessageTooLarge, $"The payload is larger than {DirectMethodRequest.MaxPayloadBytes} bytes.");
        }

        StrictJson.Validate(StrictJson.Utf8(request.PayloadJson, "The payload"), "The payload");
    }

    private DeviceFabricException NotOnline(string what) =>
        new(DeviceFabricErrorCode.DeviceNotOnline, $"Device {_deviceId} {what}.");

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device {Hub}/{DeviceId} answered unknown or late method request {RequestId}; dropped ({Suppressed} more left out since the last line)")]
    private static partial void LogUnknownMethodResponse(ILogger logger, string hub, string deviceId, string requestId, long suppressed);
}
