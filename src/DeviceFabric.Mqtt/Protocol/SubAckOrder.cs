using MQTTnet.Packets;
using MQTTnet.Server;

namespace DeviceFabric.Mqtt.Protocol;

/// <summary>
/// Puts SUBACK return codes back in the order of the SUBSCRIBE's topic filters, as MQTT requires. MQTTnet 5.2 handles
/// the filters of one SUBSCRIBE sorted by requested QoS (highest first) and answers in that order, so a device that
/// subscribes to several filters at different QoS in one packet would read the wrong code for each.
/// </summary>
internal static class SubAckOrder
{
    private const string ItemPrefix = "devicefabric.suback.";

    public static Task InboundAsync(InterceptingPacketEventArgs e)
    {
        if (e.Packet is MqttSubscribePacket { TopicFilters.Count: > 1 } subscribe)
        {
            var filters = subscribe.TopicFilters;
            e.SessionItems[ItemPrefix + subscribe.PacketIdentifier] = Enumerable.Range(0, filters.Count)
                .OrderByDescending(i => filters[i].QualityOfServiceLevel)
                .ToArray();
        }

        return Task.CompletedTask;
    }

    public static Task OutboundAsync(InterceptingPacketEventArgs e)
    {
        if (e.Packet is MqttSubAckPacket subAck)
        {
            var key = ItemPrefix + subAck.PacketIdentifier;
            if (e.SessionItems.Contains(key) && e.SessionItems[key] is int[] handledOrder && handledOrder.Length == subAck.ReasonCodes.Count)
            {
                e.SessionItems.Remove(key);
                var inRequestOrder = new MQTTnet.Protocol.MqttSubscribeReasonCode[handledOrder.Length];
                for (var k = 0; k < handledOrder.Length; k++)
                {
                    inRequestOrder[handledOrder[k]] = subAck.ReasonCodes[k];
                }

                subAck.ReasonCodes = [.. inRequestOrder];
            }
        }

        return Task.CompletedTask;
    }
}
