using DeviceFabric.Mqtt.Protocol;
using DeviceFabric.Mqtt.Sessions;
using DeviceFabric.Mqtt.Transport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace DeviceFabric.Mqtt.Hosting;

/// <summary>
/// Attaches the handlers to the MQTT server before it starts (MQTTnet starts it once the application has started), and
/// closes every session first when the application stops. The front end only needs a grain factory, so the same code
/// runs co-hosted in a silo or in a gateway that is only an Orleans client.
/// </summary>
internal sealed partial class MqttFrontEnd(
    MqttServer server,
    ConnectionHandler connections,
    PublishHandler publishes,
    MqttFrontEndReadiness readiness,
    OpenConnections open,
    ConnectionRegistry registry,
    MqttInstruments instruments,
    TimeProvider time,
    ILogger<MqttFrontEnd> logger)
    : IHostedLifecycleService
{
    /// <summary>How long the sessions have to be told and closed when the node stops, before their sockets are cut off.</summary>
    private static readonly TimeSpan s_closeGrace = TimeSpan.FromSeconds(3);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        instruments.ObserveConnected(registry.CountsByHub);
        server.ValidatingConnectionAsync += connections.ValidateAsync;
        server.ClientConnectedAsync += connections.ConnectedAsync;
        server.ClientDisconnectedAsync += connections.DisconnectedAsync;
        server.InterceptingPublishAsync += publishes.InterceptPublishAsync;
        server.InterceptingSubscriptionAsync += publishes.InterceptSubscriptionAsync;
        server.ClientAcknowledgedPublishPacketAsync += publishes.AcknowledgedAsync;
        server.InterceptingInboundPacketAsync += SubAckOrder.InboundAsync;
        server.InterceptingOutboundPacketAsync += SubAckOrder.OutboundAsync;
        server.StartedAsync += _ =>
        {
            readiness.Started();
            return Task.CompletedTask;
        };
        return Task.CompletedTask;
    }

    /// <summary>
    /// Before any service stops: closes every session (MQTT 5 clients are told the server is shutting down) and turns new
    /// connections away. Kestrel then has no MQTT connection to wait for, and the silo deactivates the device grains,
    /// storing their last state, well inside the shutdown timeout.
    /// </summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var stopping = server.StopAsync(new MqttServerStopOptions
        {
            DefaultClientDisconnectOptions = new MqttServerClientDisconnectOptions
            {
                ReasonCode = MqttDisconnectReasonCode.ServerShuttingDown,
            },
        });
        try
        {
            await stopping.WaitAsync(s_closeGrace, time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            // A client that stopped reading keeps MQTTnet's DISCONNECT waiting on its full socket: it is cut off.
            LogConnectionsCutOff(logger, open.AbortAll("The node is stopping."));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cut off {Count} MQTT connections that could not be closed in time while stopping")]
    private static partial void LogConnectionsCutOff(ILogger logger, int count);

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
