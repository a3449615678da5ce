using DeviceFabric.Devices;
using DeviceFabric.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Protocol;

namespace DeviceFabric.Tests.Routing;

/// <summary>A device's JSON telemetry as the routing tests send it: one MQTT session, QoS 1, each PUBACK checked.</summary>
internal static class RoutedTelemetry
{
    public static async Task SendAsync(TestNode node, DeviceIdentity device, params (string Body, string Properties)[] messages)
    {
        var ct = TestContext.Current.CancellationToken;
        var (client, _) = await MqttDevice.ConnectAsync(node, device.DeviceId, MqttDevice.Token(device.DeviceId, device.Authentication.PrimaryKey!));
        using var _ = client;
        foreach (var (body, properties) in messages)
        {
            var topic = $"devices/{device.DeviceId}/messages/events/%24.ct=application%2Fjson&%24.ce=utf-8&{properties}";
            Assert.True((await client.PublishStringAsync(topic, body, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: ct)).IsSuccess);
        }

        await client.DisconnectAsync(cancellationToken: ct);
    }
}
