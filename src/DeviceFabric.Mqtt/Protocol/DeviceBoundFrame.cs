using System.Globalization;
using System.Text;
using DeviceFabric.CloudToDevice;
using DeviceFabric.Devices;
using DeviceFabric.Methods;
using DeviceFabric.Twins;

namespace DeviceFabric.Mqtt.Protocol;

/// <summary>
/// A message for a device as IoT Hub's MQTT dialect carries it: the topic, the body and the QoS. Grains hand the session
/// typed messages; this is the only place that turns them into topics and property bags.
/// </summary>
internal readonly record struct DeviceBoundFrame(string Topic, byte[] Payload, bool AtLeastOnce)
{
    /// <summary>The frame of <paramref name="message"/> for device <paramref name="deviceId"/>.</summary>
    public static DeviceBoundFrame Encode(DeviceBoundMessage message, string deviceId) => message switch
    {
        DesiredPropertiesPatch patch => new(IotHubTopics.DesiredPatch(patch.Version), Encoding.UTF8.GetBytes(patch.PatchJson), AtLeastOnce: false),
        DirectMethodCall call => new(IotHubTopics.MethodRequest(call.MethodName, call.RequestId), Encoding.UTF8.GetBytes(call.PayloadJson), AtLeastOnce: false),
        CloudToDeviceDelivery delivery => new(CloudToDeviceTopic(delivery.Message, deviceId), delivery.Message.Body, AtLeastOnce: true),
        _ => throw new ArgumentOutOfRangeException(nameof(message), message.GetType().Name, "No MQTT frame is defined for this message."),
    };

    /// <summary>
    /// <c>devices/{id}/messages/devicebound/{property_bag}</c>: the system properties IoT Hub sends (<c>$.mid</c>,
    /// <c>$.to</c>, then those that are set) and the application properties, URL-encoded as the Azure SDKs parse them.
    /// </summary>
    private static string CloudToDeviceTopic(CloudToDeviceMessage m, string deviceId)
    {
        var bag = new List<KeyValuePair<string, string?>>
        {
            new("$.mid", m.MessageId),
            new("$.to", $"/devices/{deviceId}/messages/deviceBound"),
        };
        AddIfSet(bag, "$.cid", m.CorrelationId);
        AddIfSet(bag, "$.uid", m.UserId);
        AddIfSet(bag, "$.ct", m.ContentType);
        AddIfSet(bag, "$.ce", m.ContentEncoding);
        AddIfSet(bag, "$.exp", m.ExpiresAt?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        if (m.Ack != FeedbackRequest.None)
        {
            bag.Add(new("iothub-ack", m.Ack.ToString().ToLowerInvariant()));
        }

        foreach (var property in m.Properties ?? new Dictionary<string, string>())
        {
            bag.Add(new(property.Key, property.Value));
        }

        return IotHubTopics.CloudToDevicePrefix(deviceId) + PropertyBag.Encode(bag);
    }

    private static void AddIfSet(List<KeyValuePair<string, string?>> bag, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            bag.Add(new(key, value));
        }
    }
}
