using System.Net.Http.Json;
using System.Text.Json;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Provisioning;

/// <summary>A process killed hard right after answering "assigned" loses neither the registration record nor the device.</summary>
public sealed class ProvisioningDurabilityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AHardKillAfterAssigned_LosesNeitherTheRecordNorTheDeviceNorItsTwin()
    {
        var data = TestNode.NewDataDirectory();
        var id = ProvisioningFixture.NewId("durable");
        string key;
        await using (var silo = await SiloProcess.StartAsync(data))
        {
            var scope = await File.ReadAllTextAsync(Path.Combine(data, "provisioning-id-scope.txt"), Ct);
            using var dps = HttpsClients.Create(silo, ServiceToken.FromConnectionString(await File.ReadAllTextAsync(Path.Combine(data, "provisioning-connection-string.txt"), Ct)));
            var enrollment = await ApiAssert.JsonAsync(await dps.PutAsJsonAsync(
                $"/enrollments/{id}", JsonDocument.Parse("""{"attestation":{"type":"symmetricKey"},"initialTwin":{"tags":{"line":7}}}""").RootElement, Ct));
            key = enrollment.GetProperty("attestation").GetProperty("symmetricKey").GetProperty("primaryKey").GetString()!;

            var (_, device) = await DpsDevice.ConnectAsync(silo, scope, id, DpsDevice.Token(scope, id, key));
            await using (device)
            {
                var (status, body) = await device!.RegisterAsync(id);
                Assert.Equal(200, status);
                Assert.Equal("assigned", body.GetProperty("status").GetString());
            }

            silo.Kill();
        }

        await using (var silo = await SiloProcess.StartAsync(data))
        {
            using var dps = HttpsClients.Create(silo, ServiceToken.FromConnectionString(await File.ReadAllTextAsync(Path.Combine(data, "provisioning-connection-string.txt"), Ct)));
            var record = await ApiAssert.JsonAsync(await dps.GetAsync($"/registrations/{id}", Ct));
            Assert.Equal("assigned", record.GetProperty("status").GetString());
            using var hub = HttpsClients.Create(silo);
            var device = await ApiAssert.JsonAsync(await hub.GetAsync($"/devices/{id}", Ct));
            Assert.Equal(key, device.GetProperty("authentication").GetProperty("symmetricKey").GetProperty("primaryKey").GetString());
            var twin = await ApiAssert.JsonAsync(await hub.GetAsync($"/twins/{id}", Ct));
            Assert.Equal(7, twin.GetProperty("tags").GetProperty("line").GetInt32());
        }
    }
}
