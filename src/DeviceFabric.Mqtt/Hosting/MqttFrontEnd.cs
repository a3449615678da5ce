using DeviceFabric.Mqtt.Protocol;
using DeviceFabric.Mqtt.Sessions;
using Microsoft.Extensions.Hosting;
using MQTTnet.Server;

namespace DeviceFabric.Mqtt.Hosting;

/// <summary>
/// Attaches the handlers to the MQTT server before it starts (MQTTnet starts it once the application has started).
/// The front end only needs a grain factory, so the same code runs co-hosted in a silo or in a gateway that is only an
/// Orleans client.
/// </summary>
internal sealed class MqttFrontEnd(MqttServer server, ConnectionHandler connections, PublishHandler publishes, MqttFrontEndReadiness readiness) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
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

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
