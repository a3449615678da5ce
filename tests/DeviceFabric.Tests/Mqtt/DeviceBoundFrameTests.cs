using System.Text;
using DeviceFabric.CloudToDevice;
using DeviceFabric.Methods;
using DeviceFabric.Mqtt.Protocol;
using DeviceFabric.Twins;

namespace DeviceFabric.Tests.Mqtt;

/// <summary>The one encoder of device-bound messages into IoT Hub's MQTT topics, bodies and QoS.</summary>
public sealed class DeviceBoundFrameTests
{
    [Fact]
    public void DesiredPatch_GoesToTheDesiredTopic_WithItsVersion_AtQos0()
    {
        var frame = DeviceBoundFrame.Encode(new DesiredPropertiesPatch(7, """{"fw":"2.0","$version":7}"""), "dev-1");

        Assert.Equal("$iothub/twin/PATCH/properties/desired/?$version=7", frame.Topic);
        Assert.Equal("""{"fw":"2.0","$version":7}""", Encoding.UTF8.GetString(frame.Payload));
        Assert.False(frame.AtLeastOnce);
    }

    [Fact]
    public void MethodCall_GoesToTheMethodTopic_WithItsRequestId_AtQos0()
    {
        var frame = DeviceBoundFrame.Encode(new DirectMethodCall("reboot", "1f", """{"delay":5}"""), "dev-1");

        Assert.Equal("$iothub/methods/POST/reboot/?$rid=1f", frame.Topic);
        Assert.Equal("""{"delay":5}""", Encoding.UTF8.GetString(frame.Payload));
        Assert.False(frame.AtLeastOnce);
    }

    [Fact]
    public void CloudToDevice_CarriesSystemThenApplicationProperties_UrlEncoded_AtQos1()
    {
        var message = new CloudToDeviceMessage(
            [1, 2],
            "m 1",
            CorrelationId: "c/1",
            Ack: FeedbackRequest.Full,
            ExpiresAt: new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero),
            ContentType: "application/json",
            Properties: new Dictionary<string, string> { ["color"] = "red & blue" });

        var frame = DeviceBoundFrame.Encode(new CloudToDeviceDelivery(message), "dev-1");

        Assert.Equal(
            "devices/dev-1/messages/devicebound/%24.mid=m%201&%24.to=%2Fdevices%2Fdev-1%2Fmessages%2FdeviceBound&%24.cid=c%2F1"
            + "&%24.ct=application%2Fjson&%24.exp=2026-12-01T10%3A00%3A00.0000000Z&iothub-ack=full&color=red%20%26%20blue",
            frame.Topic);
        Assert.Equal(new byte[] { 1, 2 }, frame.Payload);
        Assert.True(frame.AtLeastOnce);
        var (system, application) = PropertyBag.Parse(frame.Topic[IotHubTopics.CloudToDevicePrefix("dev-1").Length..]);
        Assert.Equal("m 1", system["message-id"]);
        Assert.Equal("red & blue", application["color"]);
    }
}
