using DeviceFabric.Devices;
using DeviceFabric.Mqtt.Protocol;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace DeviceFabric.Mqtt.Sessions;

/// <summary>
/// Sends to one device's MQTT session directly, without MQTTnet's topic routing: twin responses and desired patches share
/// topic names across devices, and routing would cost a scan of every session per message.
/// </summary>
internal sealed class SessionSender(MqttServer server)
{
    /// <summary>Queues the message on the connection's session; does nothing if a newer connection has taken the device over.</summary>
    public async Task<bool> SendAsync(DeviceConnection connection, string topic, byte[] payload, bool atLeastOnce)
    {
        MqttSessionStatus session;
        try
        {
            session = await server.GetSessionAsync(connection.DeviceId).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            return false;
        }

        if (!ReferenceEquals(DeviceConnection.From(session.Items), connection))
        {
            return false;
        }

        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(atLeastOnce ? MqttQualityOfServiceLevel.AtLeastOnce : MqttQualityOfServiceLevel.AtMostOnce)
            .Build();
        return session.TryEnqueueApplicationMessage(message, out _);
    }

    /// <summary>Sends a message from a grain if the device subscribed to its topic (IoT Hub sends desired patches only then).</summary>
    public Task<bool> SendIfSubscribedAsync(DeviceConnection connection, DeviceBoundMessage message)
    {
        var frame = DeviceBoundFrame.Encode(message, connection.DeviceId);
        return connection.IsSubscribedTo(frame.Topic)
            ? SendAsync(connection, frame.Topic, frame.Payload, frame.AtLeastOnce)
            : Task.FromResult(false);
    }
}
