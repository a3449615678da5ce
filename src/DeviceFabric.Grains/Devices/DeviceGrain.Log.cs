using DeviceFabric.Events;
using Microsoft.Extensions.Logging;

namespace DeviceFabric.Devices;

internal sealed partial class DeviceGrain
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Device {Hub}/{DeviceId} created")]
    private static partial void LogCreated(ILogger logger, string hub, string deviceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {Hub}/{DeviceId} updated, status {Status}")]
    private static partial void LogUpdated(ILogger logger, string hub, string deviceId, DeviceStatus status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {Hub}/{DeviceId} deleted")]
    private static partial void LogDeleted(ILogger logger, string hub, string deviceId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Device {Hub}/{DeviceId} connected, session epoch {Epoch}")]
    private static partial void LogConnected(ILogger logger, string hub, string deviceId, long epoch);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Device {Hub}/{DeviceId} disconnected, session epoch {Epoch}: {Reason}")]
    private static partial void LogDisconnected(ILogger logger, string hub, string deviceId, long epoch, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device {Hub}/{DeviceId}: lifecycle event {Kind} could not be published")]
    private static partial void LogEventLost(ILogger logger, Exception exception, string hub, string deviceId, DeviceLifecycleKind kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device {Hub}/{DeviceId}: its registry shard missed a connection-state change; queries may show the old state")]
    private static partial void LogConnectionStateLost(ILogger logger, Exception exception, string hub, string deviceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device {Hub}/{DeviceId}: its twin could not be told of a new or ended generation")]
    private static partial void LogTwinNotTold(ILogger logger, Exception exception, string hub, string deviceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device {Hub}/{DeviceId}: its modules could not all be told of its status; its next update or activation tells them again")]
    private static partial void LogModulesNotTold(ILogger logger, Exception exception, string hub, string deviceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {Hub}/{DeviceId}: the credential its connection was accepted with was replaced or revoked before the session attached; the connection is closed")]
    private static partial void LogCredentialGoneAtAttach(ILogger logger, string hub, string deviceId);
}
