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

    /// <summary>The connections held, by hub, for the connected-devices gauge.</summary>
    public IEnumerable<KeyValuePair<string, int>> CountsByHub() =>
        _live.Values.GroupBy(c => c.Hub, StringComparer.Ordinal).Select(g => new KeyValuePair<string, int>(g.Key, g.Count()));

    public void Add(DeviceConnection connection) => _live[connection.DeviceKey] = connection;

    public void Remove(DeviceConnection connection) =>
        _live.TryRemove(new KeyValuePair<string, DeviceConnection>(connection.DeviceKey, connection));

    /// <summary>The connections of a hub, for closing those whose credentials were withdrawn.</summary>
    public IEnumerable<DeviceConnection> ConnectionsOf(string hub) => _live.Values.Where(c => c.Hub == hub);

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

    private async Task DisconnectAsync(string deviceId, Guid sessionId)
    {
        try
        {
            await DisconnectIfCurrentAsync(deviceId, sessionId, MqttDisconnectReasonCode.NotAuthorized).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogDisconnectFailed(logger, ex, deviceId);
        }
    }

    /// <summary>
    /// Disconnects the device's MQTT client (its client id is the device id) with <paramref name="reason"/> only if it is
    /// still the connection of <paramref name="sessionId"/>: MQTTnet's session for the id is the authority on which
    /// connection is current. Returns whether it was (false when the client is gone or a newer connection holds the id).
    /// </summary>
    public async Task<bool> DisconnectIfCurrentAsync(string deviceId, Guid sessionId, MqttDisconnectReasonCode reason)
    {
        try
        {
            var session = await server.GetSessionAsync(deviceId).ConfigureAwait(false);
            if (DeviceConnection.From(session.Items)?.SessionId != sessionId)
            {
                return false;
            }

            await server.DisconnectClientAsync(deviceId, reason).ConfigureAwait(false);
            return true;
        }
        catch (InvalidOperationException)
        {
            // Already gone.
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Closing the connection of {Hub}/{DeviceId}: {Reason} ({Suppressed} more left out since the last line)")]
    private static partial void LogClosing(ILogger logger, string hub, string deviceId, string reason, long suppressed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not disconnect the MQTT client of {DeviceId}")]
    private static partial void LogDisconnectFailed(ILogger logger, Exception exception, string deviceId);
}
