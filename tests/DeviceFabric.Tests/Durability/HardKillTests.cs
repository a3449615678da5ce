using System.Text;
using System.Text.Json.Nodes;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;
using MQTTnet;

namespace DeviceFabric.Tests.Durability;

/// <summary>Never acknowledge what is not durable: a process killed hard loses nothing it acknowledged.</summary>
public sealed class HardKillTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReportedPatches_AcknowledgedBeforeAHardKill_AreAllThereAfterRestart()
    {
        var data = TestNode.NewDataDirectory();
        string deviceId = "durable-" + Guid.NewGuid().ToString("N")[..8];
        var acknowledged = new List<int>();

        await using (var silo = await SiloProcess.StartAsync(data))
        {
            using var http = HttpsClients.Create(silo);
            var created = await ApiAssert.JsonAsync(await http.PutAsync($"/devices/{deviceId}", new StringContent("{}", Encoding.UTF8, "application/json"), Ct));
            var key = created.GetProperty("authentication").GetProperty("symmetricKey").GetProperty("primaryKey").GetString()!;
            var device = new DeviceFabric.Devices.DeviceIdentity(
                deviceId, string.Empty, string.Empty, default, null, default, default, default, default, 0,
                new DeviceFabric.Devices.DeviceAuthentication(DeviceFabric.Devices.DeviceAuthenticationType.Sas, key, key), false);
            using var twin = await TwinDevice.ConnectAsync(silo, device, subscribeDesired: false);

            for (var i = 1; i <= 40; i++)
            {
                var (status, _, body) = await twin.PatchReportedAsync($$"""{"p{{i}}":{{i}},"last":{{i}}}""");
                Assert.True(status == 204, body);
                acknowledged.Add(i);
            }

            // One more patch in flight, then the power goes: it may or may not survive, but nothing before it may be lost.
            _ = twin.Client.PublishStringAsync("$iothub/twin/PATCH/properties/reported/?$rid=in-flight", """{"p41":41,"last":41}""", cancellationToken: Ct);
            silo.Kill();
        }

        await using (var silo = await SiloProcess.StartAsync(data))
        {
            using var http = HttpsClients.Create(silo);
            var twin = await ApiAssert.JsonAsync(await http.GetAsync($"/twins/{deviceId}", Ct));
            var reported = JsonNode.Parse(twin.GetProperty("properties").GetProperty("reported").GetRawText())!;
            Assert.All(acknowledged, i => Assert.Equal(i, reported[$"p{i}"]?.GetValue<int>()));
            Assert.InRange(reported["last"]!.GetValue<int>(), 40, 41);
            Assert.InRange(reported["$version"]!.GetValue<long>(), 41, 42);
        }
    }

    [Fact]
    public async Task CloudToDeviceMessage_AcceptedBeforeAHardKill_IsDeliveredAfterRestart_AndNeverAgainOnceCompleted()
    {
        var data = TestNode.NewDataDirectory();
        var deviceId = "durable-c2d-" + Guid.NewGuid().ToString("N")[..8];
        string key;

        await using (var silo = await SiloProcess.StartAsync(data))
        {
            using var http = HttpsClients.Create(silo);
            var created = await ApiAssert.JsonAsync(await http.PutAsync($"/devices/{deviceId}", new StringContent("{}", Encoding.UTF8, "application/json"), Ct));
            key = created.GetProperty("authentication").GetProperty("symmetricKey").GetProperty("primaryKey").GetString()!;
            var sent = await http.PostAsync($"/devices/{deviceId}/messages/deviceBound", new StringContent("survive", Encoding.UTF8, "text/plain"), Ct);
            Assert.Equal(System.Net.HttpStatusCode.NoContent, sent.StatusCode);
            silo.Kill();
        }

        await using (var silo = await SiloProcess.StartAsync(data))
        {
            Assert.Equal("survive", await ReceiveOneAsync(silo, deviceId, key));
            silo.Kill();
        }

        await using (var silo = await SiloProcess.StartAsync(data))
        {
            // Completed before the kill: a marker sent now is the only message the device gets.
            using var http = HttpsClients.Create(silo);
            await http.PostAsync($"/devices/{deviceId}/messages/deviceBound", new StringContent("marker", Encoding.UTF8, "text/plain"), Ct);
            Assert.Equal("marker", await ReceiveOneAsync(silo, deviceId, key));
        }
    }

    /// <summary>Connects, subscribes, returns the first cloud-to-device body and disconnects once its PUBACK has been processed.</summary>
    private static async Task<string> ReceiveOneAsync(SiloProcess silo, string deviceId, string key)
    {
        var (client, _) = await MqttDevice.ConnectAsync(silo, deviceId, MqttDevice.Token(deviceId, key));
        using var _ = client;
        var first = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ApplicationMessageReceivedAsync += e =>
        {
            first.TrySetResult(e.ApplicationMessage.ConvertPayloadToString() ?? string.Empty);
            return Task.CompletedTask;
        };
        await client.SubscribeAsync($"devices/{deviceId}/messages/devicebound/#", MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce, Ct);
        var body = await first.Task.WaitAsync(TimeSpan.FromSeconds(20), Ct);

        // The PUBACK is sent after the handler returns; a round trip after it proves the server has handled it.
        await client.PingAsync(Ct);
        using var http = HttpsClients.Create(silo);
        var device = await ApiAssert.JsonAsync(await http.GetAsync($"/devices/{deviceId}", Ct));
        Assert.Equal(0, device.GetProperty("cloudToDeviceMessageCount").GetInt32());
        await client.DisconnectAsync(cancellationToken: Ct);
        return body;
    }
}
