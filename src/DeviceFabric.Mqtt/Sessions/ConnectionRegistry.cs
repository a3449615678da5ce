using System.Collections.Concurrent;
using DeviceFabric.Devices;
using DeviceFabric.Mqtt.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace DeviceFabric.Mqtt.Sessions;

/// <summary>
/// The connections this front end holds, by device, and the observer device grains call to end one. A close names the
/// session it means, so a device's newer connection is never closed by mistake.
/// </summary>
internal sealed partial class ConnectionRegistry(MqttServer server, SessionSender sender, FrontEndLogFilter logFilter, ILogger<ConnectionRegistry> logger) : IDeviceConnectionObserver
{
    private readonly ConcurrentDictionary<string, DeviceConnection> _live = new(StringComparer.Ordinal);

    public void Add(DeviceConnection connection) => _live[connection.DeviceKey] = connection;

    public void Remove(DeviceConnection connection) =>
        _live.TryRemove(new KeyValuePair<string, DeviceConnection>(connection.DeviceKey, connection));

    public Task CloseSessionAsync(string hub, string deviceId, Guid sessionId, string reason)
    {
        if (logFilter.ShouldLog("closing", DeviceKey.Create(hub, deviceId), out var suppressed))
        {
            LogClosing(logger, hub, deviceId, reason, suppressed);
        }

        _ = DisconnectAsync(deviceId, sessionId);
        return Task.CompletedTask;
    }

    public async Task DeliverAsync(string hub, string deviceId, Guid sessionId, DeviceBoundMessage message)
    {
        if (_live.TryGetValue(DeviceKey.Create(hub, deviceId), out var connection) && connection.SessionId == sessionId)
        {
            await sender.SendIfSubscribedAsync(connection, message).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Disconnects the device's MQTT client (its client id is the device id) only if it is still the connection of
    /// <paramref name="sessionId"/>: MQTTnet's session for the id is the authority on which connection is current.
    /// </summary>
    private async Task DisconnectAsync(string deviceId, Guid sessionId)
    {
        try
        {
            var session = await server.GetSessionAsync(deviceId).ConfigureAwait(false);
            if (DeviceConnection.From(session.Items)?.SessionId == sessionId)
            {
                await server.DisconnectClientAsync(deviceId, MqttDisconnectReasonCode.NotAuthorized).ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Closing the connection of {Hub}/{DeviceId}: {Reason} ({Suppressed} more left out since the last line)")]
    private static partial void LogClosing(ILogger logger, string hub, string deviceId, string reason, long suppressed);
}
