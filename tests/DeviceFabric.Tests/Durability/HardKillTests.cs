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
}
