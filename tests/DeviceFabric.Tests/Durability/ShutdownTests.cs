using System.Text;
using System.Text.Json.Nodes;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace DeviceFabric.Tests.Durability;

/// <summary>A stop asked for (SIGTERM) is prompt: sessions are told and closed, state is stored, the process exits.</summary>
public sealed class ShutdownTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sigterm_WithADeviceConnected_ExitsWithinSeconds_TellsTheDevice_AndKeepsWhatWasAcknowledged()
    {
        var data = TestNode.NewDataDirectory();
        var deviceId = "stopping-" + Guid.NewGuid().ToString("N")[..8];
        await using (var silo = await SiloProcess.StartAsync(data))
        {
            using var http = HttpsClients.Create(silo);
            var created = await ApiAssert.JsonAsync(await http.PutAsync($"/devices/{deviceId}", new StringContent("{}", Encoding.UTF8, "application/json"), Ct));
            var key = created.GetProperty("authentication").GetProperty("symmetricKey").GetProperty("primaryKey").GetString()!;
            var (client, result) = await MqttDevice.ConnectAsync(silo, deviceId, MqttDevice.Token(deviceId, key), protocol: MqttProtocolVersion.V500);
            using var _ = client;
            Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
            var told = new TaskCompletionSource<MqttClientDisconnectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
            client.DisconnectedAsync += e =>
            {
                told.TrySetResult(e);
                return Task.CompletedTask;
            };
            var answered = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            client.ApplicationMessageReceivedAsync += e =>
            {
                answered.TrySetResult(e.ApplicationMessage.Topic);
                return Task.CompletedTask;
            };
            await client.SubscribeAsync("$iothub/twin/res/#", MqttQualityOfServiceLevel.AtMostOnce, Ct);
            await client.PublishStringAsync("$iothub/twin/PATCH/properties/reported/?$rid=1", """{"firmware":"2.1"}""", cancellationToken: Ct);
            Assert.StartsWith("$iothub/twin/res/204/", await answered.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct), StringComparison.Ordinal);

            var took = await silo.TerminateAsync(TimeSpan.FromSeconds(30));

            Assert.True(took < TimeSpan.FromSeconds(5), $"the node took {took.TotalSeconds:0.0} s to stop");
            Assert.Equal(MqttClientDisconnectReason.ServerShuttingDown, (await told.Task.WaitAsync(TimeSpan.FromSeconds(5), Ct)).Reason);
        }

        await using (var silo = await SiloProcess.StartAsync(data))
        {
            using var http = HttpsClients.Create(silo);
            var twin = await ApiAssert.JsonAsync(await http.GetAsync($"/twins/{deviceId}", Ct));
            var reported = JsonNode.Parse(twin.GetProperty("properties").GetProperty("reported").GetRawText())!;
            Assert.Equal("2.1", reported["firmware"]?.GetValue<string>());
        }
    }
}
