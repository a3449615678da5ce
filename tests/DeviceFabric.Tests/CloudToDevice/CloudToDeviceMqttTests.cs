using System.Collections.Concurrent;
using System.Net;
using System.Text;
using DeviceFabric.Devices;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Protocol;

namespace DeviceFabric.Tests.CloudToDevice;

/// <summary>Cloud-to-device messages sent through REST and delivered over MQTT, completed by the device's PUBACK.</summary>
public sealed class CloudToDeviceMqttTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<DeviceIdentity> NewDeviceAsync() =>
        await Node.Client.Devices.CreateAsync("c2dmqtt-" + Guid.NewGuid().ToString("N")[..10], cancellationToken: Ct);

    private async Task<HttpResponseMessage> SendAsync(HttpClient http, string deviceId, string body, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/devices/{deviceId}/messages/deviceBound?api-version=2021-04-12") { Content = new StringContent(body, Encoding.UTF8, "text/plain") };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await http.SendAsync(request, Ct);
    }

    /// <summary>Connects and subscribes; with <paramref name="acknowledge"/> false the client never sends PUBACK.</summary>
    private async Task<(IMqttClient Client, ConcurrentQueue<MqttApplicationMessage> Received, SemaphoreSlim Arrived)> ConnectAsync(DeviceIdentity device, bool acknowledge = true)
    {
        var (client, _) = await MqttDevice.ConnectAsync(Node, device.DeviceId, MqttDevice.Token(device.DeviceId, device.Authentication.PrimaryKey!));
        var received = new ConcurrentQueue<MqttApplicationMessage>();
        var arrived = new SemaphoreSlim(0);
        client.ApplicationMessageReceivedAsync += async e =>
        {
            // Acknowledged before the test hears of it, so a disconnect the test makes next follows the PUBACK on the wire.
            e.AutoAcknowledge = false;
            if (acknowledge)
            {
                await e.AcknowledgeAsync(Ct);
            }

            received.Enqueue(e.ApplicationMessage);
            arrived.Release();
        };
        await client.SubscribeAsync($"devices/{device.DeviceId}/messages/devicebound/#", MqttQualityOfServiceLevel.AtLeastOnce, Ct);
        return (client, received, arrived);
    }

    [Fact]
    public async Task Message_WithPropertiesFromHeaders_ReachesTheDevice_IsCompletedByPuback_AndFeedsBack()
    {
        var feedbackArrived = new Recorder<DeviceFabric.CloudToDevice.FeedbackRecord>();
        await using var feedbackSubscription = await Node.Client.CloudToDevice.SubscribeFeedbackAsync(feedbackArrived.Add, Ct);
        var device = await NewDeviceAsync();
        using var http = Node.CreateHttpClient(await fixture.TokenForAsync("service"));
        var (client, received, arrived) = await ConnectAsync(device);
        using var _ = client;

        var response = await SendAsync(http, device.DeviceId, "turn on", ("iothub-messageid", "msg 1"), ("iothub-correlationid", "corr/1"), ("iothub-ack", "positive"), ("iothub-app-room", "living room"));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("msg 1", Assert.Single(response.Headers.GetValues("iothub-messageid")));

        Assert.True(await arrived.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        var message = Assert.Single(received);
        Assert.Equal("turn on", message.ConvertPayloadToString());
        Assert.Equal(MqttQualityOfServiceLevel.AtLeastOnce, message.QualityOfServiceLevel);
        Assert.StartsWith($"devices/{device.DeviceId}/messages/devicebound/%24.mid=msg%201&%24.to=%2Fdevices%2F{device.DeviceId}%2Fmessages%2FdeviceBound&%24.cid=corr%2F1", message.Topic, StringComparison.Ordinal);
        Assert.Contains("&room=living%20room", message.Topic, StringComparison.Ordinal);
        Assert.Contains("&iothub-ack=positive", message.Topic, StringComparison.Ordinal);

        // The PUBACK completes the message: feedback arrives, stays readable over REST once, and the queue is empty.
        var record = await feedbackArrived.WaitForAsync(f => f.OriginalMessageId == "msg 1");
        Assert.Equal(DeviceFabric.CloudToDevice.FeedbackStatus.Success, record.StatusCode);
        Assert.Equal(0, (await Node.Client.Devices.GetAsync(device.DeviceId, Ct)).CloudToDeviceMessageCount);
        var stored = await ApiAssert.JsonAsync(await http.GetAsync("/messages/serviceBound/feedback?max=1000", Ct));
        var mine = Assert.Single(stored.EnumerateArray(), r => r.GetProperty("originalMessageId").GetString() == "msg 1");
        Assert.Equal("Success", mine.GetProperty("statusCode").GetString());
        Assert.Equal(device.DeviceId, mine.GetProperty("deviceId").GetString());
    }

    [Fact]
    public async Task MessageNotAcknowledged_IsRedeliveredOnReconnect_AndNeverAfterCompletion()
    {
        var device = await NewDeviceAsync();
        using var http = Node.CreateHttpClient(await fixture.TokenForAsync("service"));
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(http, device.DeviceId, "first")).StatusCode);

        var (silent, received, arrived) = await ConnectAsync(device, acknowledge: false);
        Assert.True(await arrived.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        Assert.Equal("first", Assert.Single(received).ConvertPayloadToString());
        await silent.DisconnectAsync(cancellationToken: Ct);
        silent.Dispose();
        Assert.Equal(1, (await Node.Client.Devices.GetAsync(device.DeviceId, Ct)).CloudToDeviceMessageCount);

        var (client, again, arrivedAgain) = await ConnectAsync(device);
        Assert.True(await arrivedAgain.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        Assert.Equal("first", Assert.Single(again).ConvertPayloadToString());
        await client.DisconnectAsync(cancellationToken: Ct);
        client.Dispose();

        // A later message proves the completed one is not sent again: only the later one arrives.
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(http, device.DeviceId, "second")).StatusCode);
        var (last, lastReceived, lastArrived) = await ConnectAsync(device);
        using var ___ = last;
        Assert.True(await lastArrived.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        Assert.Equal("second", Assert.Single(lastReceived).ConvertPayloadToString());
    }

    [Fact]
    public async Task RestErrors_FollowIotHub()
    {
        using var http = Node.CreateHttpClient(await fixture.TokenForAsync("service"));
        await ApiAssert.ErrorAsync(await SendAsync(http, "nobody-" + Guid.NewGuid().ToString("N")[..6], "x"), HttpStatusCode.NotFound, "DeviceNotFound", 404001);
        var device = await NewDeviceAsync();
        await ApiAssert.ErrorAsync(await SendAsync(http, device.DeviceId, "x", ("iothub-ack", "sometimes")), HttpStatusCode.BadRequest, "ArgumentInvalid", 400004);
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(http, device.DeviceId, "m")).StatusCode);
        }

        await ApiAssert.ErrorAsync(await SendAsync(http, device.DeviceId, "m"), HttpStatusCode.Forbidden, "DeviceMaximumQueueDepthExceeded", 403004);
        var purged = await ApiAssert.JsonAsync(await http.DeleteAsync($"/devices/{device.DeviceId}/commands", Ct));
        Assert.Equal(50, purged.GetProperty("totalMessagesPurged").GetInt32());
        using var reader = Node.CreateHttpClient(await fixture.TokenForAsync("registryRead"));
        await ApiAssert.ErrorAsync(await SendAsync(reader, device.DeviceId, "m"), HttpStatusCode.Unauthorized, "IotHubUnauthorizedAccess", 401002);
    }
}
