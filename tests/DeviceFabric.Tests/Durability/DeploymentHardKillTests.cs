using System.Net;
using System.Text;
using System.Text.Json;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Durability;

/// <summary>Modules and configurations acknowledged before a hard kill are there after the restart, and still work.</summary>
public sealed class DeploymentHardKillTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task AModuleAndAConfiguration_AcknowledgedBeforeAHardKill_SurviveIt_AndTheConfigurationStillApplies()
    {
        var data = TestNode.NewDataDirectory();
        var deviceId = "kill-" + Guid.NewGuid().ToString("N")[..8];
        var configurationId = "kill-" + Guid.NewGuid().ToString("N")[..8];
        string moduleKey;
        await using (var silo = await SiloProcess.StartAsync(data))
        {
            using var http = HttpsClients.Create(silo);
            await ApiAssert.JsonAsync(await http.PutAsync($"/devices/{deviceId}", Json("{}"), Ct));
            var module = await ApiAssert.JsonAsync(await http.PutAsync($"/devices/{deviceId}/modules/filter", Json("{}"), Ct));
            moduleKey = module.GetProperty("authentication").GetProperty("symmetricKey").GetProperty("primaryKey").GetString()!;
            await ApiAssert.JsonAsync(await http.PatchAsync($"/twins/{deviceId}", Json("""{"tags":{"ring":"kill"}}"""), Ct));
            await ApiAssert.JsonAsync(await http.PutAsync($"/configurations/{configurationId}", Json(
                $$$"""{"content":{"deviceContent":{"properties.desired.mode":"safe"}},"targetCondition":"tags.ring = 'kill' AND deviceId = '{{{deviceId}}}'","priority":1}"""), Ct));
            silo.Kill();
        }

        await using (var silo = await SiloProcess.StartAsync(data))
        {
            using var http = HttpsClients.Create(silo);
            var module = await ApiAssert.JsonAsync(await http.GetAsync($"/devices/{deviceId}/modules/filter", Ct));
            Assert.Equal(moduleKey, module.GetProperty("authentication").GetProperty("symmetricKey").GetProperty("primaryKey").GetString());
            var configuration = await ApiAssert.JsonAsync(await http.GetAsync($"/configurations/{configurationId}", Ct));
            Assert.Equal(1, configuration.GetProperty("priority").GetInt32());

            // Whether or not the twin heard before the kill, the configuration reaches it: the restart's sweep or this tag write.
            await ApiAssert.JsonAsync(await http.PatchAsync($"/twins/{deviceId}", Json("""{"tags":{"touched":true}}"""), Ct));
            var twin = await EventuallyAsync(http, $"/twins/{deviceId}", t => t.GetProperty("properties").GetProperty("desired").TryGetProperty("mode", out _));
            Assert.Equal("Applied", twin.GetProperty("configurations").GetProperty(configurationId).GetProperty("status").GetString());

            Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"/configurations/{configurationId}", Ct)).StatusCode);
            await EventuallyAsync(http, $"/twins/{deviceId}", t => !t.GetProperty("properties").GetProperty("desired").TryGetProperty("mode", out _));
        }
    }

    private static Task<JsonElement> EventuallyAsync(HttpClient http, string path, Func<JsonElement, bool> holds) =>
        Eventually.HoldsAsync(async () => await ApiAssert.JsonAsync(await http.GetAsync(path, Ct)), holds, path);
}
