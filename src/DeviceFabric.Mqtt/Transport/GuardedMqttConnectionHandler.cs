using System.IO.Pipelines;
using DeviceFabric.Mqtt.Hosting;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet.AspNetCore;
using MQTTnet.Protocol;

namespace DeviceFabric.Mqtt.Transport;

/// <summary>
/// Where an MQTT connection (TCP, TLS or WebSocket) enters the front end, ahead of MQTTnet: it holds a place under the
/// gate's caps until the CONNECT is accepted, is closed if that takes longer than the connect timeout, and reaches
/// MQTTnet through <see cref="MqttFrameReader"/>, which hands over whole, checked packets only.
/// </summary>
internal sealed partial class GuardedMqttConnectionHandler(
    MqttConnectionHandler mqtt,
    ConnectionGate gate,
    Sessions.ConnectionRegistry registry,
    OpenConnections open,
    IOptions<MqttFrontEndOptions> options,
    MqttInstruments instruments,
    TimeProvider time,
    ILogger<GuardedMqttConnectionHandler> logger) : ConnectionHandler
{
    /// <summary>An MQTT 5 client asked to disconnect for a violation gets this long to be told before the socket closes.</summary>
    private static readonly TimeSpan s_disconnectGrace = TimeSpan.FromSeconds(2);

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        // A TCP listener admits the connection before TLS (UseMqttAdmission); a WebSocket arrives here first.
        using var admitted = connection.Features.Get<PendingConnection>() is null ? gate.Admit(connection) : null;
        if (connection.Features.Get<PendingConnection>() is not { } pending)
        {
            return;
        }

        using var tracked = open.Track(connection);
        var limits = options.Value;
        var scanner = new MqttFrameScanner(limits.MaxConnectPacketBytes, limits.MaxPacketBytes);
        var transport = connection.Transport;
        var reader = new MqttFrameReader(transport.Input, scanner, violation => Refuse(connection, transport.Output, pending, scanner, violation));
        connection.Transport = new GuardedPipe(reader, transport.Output);
        try
        {
            await mqtt.OnConnectedAsync(connection).ConfigureAwait(false);
        }
        finally
        {
            connection.Transport = transport;
        }
    }

    /// <summary>
    /// The reader stopped at a violation. An MQTT 5 client that is connected is told why (DISCONNECT with the reason code)
    /// before the socket closes; everyone else's socket closes at once, as MQTT 3.1.1 asks.
    /// </summary>
    /// <returns>Whether the reader should hold MQTTnet's read open while the client is told why.</returns>
    private bool Refuse(ConnectionContext connection, PipeWriter output, PendingConnection pending, MqttFrameScanner scanner, MqttFrameViolation violation)
    {
        instruments.ConnectionRefused(violation switch
        {
            MqttFrameViolation.NotConnect => "not-connect",
            MqttFrameViolation.TooLarge => "too-large",
            MqttFrameViolation.InvalidTopic => "invalid-topic",
            _ => "malformed",
        });
        LogViolation(logger, pending.Source, violation, scanner.ConnectSeen);
        if (!scanner.ConnectSeen && violation == MqttFrameViolation.TooLarge && scanner.ProtocolLevel == 5)
        {
            // MQTTnet has written nothing yet, so the CONNACK can be written here.
            _ = RefuseConnectAsync(output);
            return true;
        }

        if (pending.IsAuthenticated && pending.IsMqtt5 && pending.ClientId is { } clientId)
        {
            var reason = violation switch
            {
                MqttFrameViolation.TooLarge => MqttDisconnectReasonCode.PacketTooLarge,
                MqttFrameViolation.InvalidTopic => MqttDisconnectReasonCode.TopicNameInvalid,
                _ => MqttDisconnectReasonCode.MalformedPacket,
            };
            _ = DisconnectAsync(connection, clientId, pending.SessionId, reason);
            return true;
        }

        connection.Abort(new ConnectionAbortedException($"MQTT framing violation: {violation}."));
        return false;
    }

    private async Task DisconnectAsync(ConnectionContext connection, string clientId, Guid sessionId, MqttDisconnectReasonCode reason)
    {
        var abort = new ConnectionAbortedException($"MQTT framing violation: {reason}.");
        try
        {
            // By session, not client id: a device's newer connection may hold the id by now.
            if (await registry.DisconnectIfCurrentAsync(clientId, sessionId, reason).WaitAsync(s_disconnectGrace, time).ConfigureAwait(false))
            {
                // MQTTnet closes the connection once its DISCONNECT is out (aborting now could drop it before it is
                // sent); whatever is still open after the grace is cut off.
                await Task.Delay(s_disconnectGrace, time).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Too slow to be told, or MQTTnet failed to tell it: the socket closes all the same.
            LogDisconnectFailed(logger, ex, clientId);
        }

        connection.Abort(abort);
    }

    /// <summary>MQTT 5's CONNACK with reason 0x95 (packet too large) and no properties; the client then closes.</summary>
    private static async Task RefuseConnectAsync(PipeWriter output)
    {
        try
        {
            await output.WriteAsync(new byte[] { 0x20, 0x03, 0x00, (byte)MqttConnectReasonCode.PacketTooLarge, 0x00 }).ConfigureAwait(false);
            await output.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ConnectionAbortedException)
        {
            // The client is gone already.
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Closed an MQTT connection from {Source}: {Violation} (after CONNECT: {AfterConnect})")]
    private static partial void LogViolation(ILogger logger, System.Net.IPAddress source, MqttFrameViolation violation, bool afterConnect);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not tell {ClientId} why its connection closes")]
    private static partial void LogDisconnectFailed(ILogger logger, Exception exception, string clientId);

    private sealed class GuardedPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
