using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;
using DeviceFabric.Tests.Updates;
using MQTTnet;
using MQTTnet.Protocol;

namespace DeviceFabric.Tests.Durability;

/// <summary>A rollout acknowledged before a hard kill resumes where it was: the same deployment, the same wave.</summary>
public sealed class UpdateRolloutHardKillTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string> s_settings = new() { ["DeviceFabric:Updates:StatusInterval"] = "00:00:00.200" };

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task ARolloutKilledInItsFirstWave_ResumesWithTheSecondOnceTheFirstReports()
    {
        var data = TestNode.NewDataDirectory();
        var provider = "kill" + Guid.NewGuid().ToString("N")[..8];
        var group = "g-" + provider;
        var deployment = $"/deviceUpdate/devicefabric/management/groups/{group}/deployments/d1";
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        string workflowId;
        List<string> firstWave;
        await using (var silo = await SiloProcess.StartAsync(data, s_settings))
        {
            using var http = HttpsClients.Create(silo);
            await UpdateUploads.ImportAsync(http, provider, "2.0", RandomNumberGenerator.GetBytes(5000));
            for (var i = 0; i < 4; i++)
            {
                var id = $"{provider}-{i}";
                var created = await ApiAssert.JsonAsync(await http.PutAsync($"/devices/{id}", Json("{}"), Ct));
                keys[id] = created.GetProperty("authentication").GetProperty("symmetricKey").GetProperty("primaryKey").GetString()!;
                await ApiAssert.JsonAsync(await http.PatchAsync($"/twins/{id}", Json($$$"""{"tags":{"ADUGroup":"{{{group}}}"}}"""), Ct));
            }

            var devices = await Task.WhenAll(keys.Select(k => MessageDevice.ConnectAsync(silo, k.Key, k.Value)));
            foreach (var device in devices)
            {
                await device.ReportAsync("""{"deviceUpdate":{"__t":"c","agent":{"state":0,"delivery":"c2d","deviceProperties":{"manufacturer":"Contoso","model":"Toaster"},"compatPropertyNames":"manufacturer,model"}}}""");
            }

            var put = await ApiAssert.JsonAsync(await http.PutAsync(deployment, Json(
                "{\"update\":{\"updateId\":{\"provider\":\"" + provider + "\",\"name\":\"Toaster\",\"version\":\"2.0\"}},\"rollout\":{\"waves\":[{\"percentage\":50},{\"percentage\":50}],\"waitBetweenWavesInSeconds\":0}}"), Ct));
            workflowId = put.GetProperty("workflowId").GetString()!;
            await Eventually.HoldsAsync(() => Task.FromResult(devices.Count(d => d.Deployments.Seen.Count > 0)), n => n == 2, "the first wave's messages");
            firstWave = [.. devices.Where(d => d.Deployments.Seen.Count > 0).Select(d => d.Id)];
            Assert.Equal(1, (await ApiAssert.JsonAsync(await http.GetAsync(deployment, Ct))).GetProperty("wavesReleased").GetInt32());
            foreach (var device in devices)
            {
                device.Dispose();
            }

            silo.Kill();
        }

        await using (var silo = await SiloProcess.StartAsync(data, s_settings))
        {
            using var http = HttpsClients.Create(silo);
            var resumed = await ApiAssert.JsonAsync(await http.GetAsync(deployment, Ct));
            Assert.Equal(workflowId, resumed.GetProperty("workflowId").GetString());
            Assert.Equal(1, resumed.GetProperty("wavesReleased").GetInt32());

            var devices = await Task.WhenAll(keys.Select(k => MessageDevice.ConnectAsync(silo, k.Key, k.Value)));
            foreach (var device in devices.Where(d => firstWave.Contains(d.Id)))
            {
                await device.ReportSuccessAsync(workflowId, provider);
            }

            var secondWave = devices.Where(d => !firstWave.Contains(d.Id)).ToList();
            foreach (var device in secondWave)
            {
                var message = await device.Deployments.WaitForAsync(_ => true, what: "the second wave's message");
                Assert.Equal(workflowId, JsonNode.Parse(message)!["workflow"]!["id"]!.GetValue<string>());
                await device.ReportSuccessAsync(workflowId, provider);
            }

            var status = await Eventually.HoldsAsync(
                async () => await ApiAssert.JsonAsync(await http.GetAsync(deployment + "/status", Ct)),
                s => s.GetProperty("subgroupStatus")[0].GetProperty("devicesCompletedSucceededCount").GetInt64() == 4,
                "all four succeeded");
            Assert.Equal(2, status.GetProperty("wavesReleased").GetInt32());
            foreach (var device in devices)
            {
                device.Dispose();
            }
        }
    }

    /// <summary>A device on the message path: it records the deployments it is sent and reports in its twin.</summary>
    private sealed class MessageDevice : IDisposable
    {
        private readonly Recorder<string> _responses = new();
        private int _rid;

        private MessageDevice(string id, IMqttClient client)
        {
            Id = id;
            Client = client;
        }

        public string Id { get; }

        public IMqttClient Client { get; }

        public Recorder<string> Deployments { get; } = new();

        public static async Task<MessageDevice> ConnectAsync(INodeEndpoints node, string id, string key)
        {
            var (client, result) = await MqttDevice.ConnectAsync(node, id, MqttDevice.Token(id, key));
            Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
            var device = new MessageDevice(id, client);
            client.ApplicationMessageReceivedAsync += e => e.ApplicationMessage.Topic.Contains("deviceUpdate=service", StringComparison.Ordinal)
                ? device.Deployments.Add(e.ApplicationMessage.ConvertPayloadToString() ?? string.Empty)
                : device._responses.Add(e.ApplicationMessage.Topic);
            await client.SubscribeAsync("$iothub/twin/res/#", MqttQualityOfServiceLevel.AtMostOnce, Ct);
            await client.SubscribeAsync($"devices/{id}/messages/devicebound/#", MqttQualityOfServiceLevel.AtLeastOnce, Ct);
            return device;
        }

        public async Task ReportAsync(string patch)
        {
            var rid = Interlocked.Increment(ref _rid).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Client.PublishStringAsync($"$iothub/twin/PATCH/properties/reported/?$rid={rid}", patch, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: Ct);
            var topic = await _responses.WaitForAsync(t => t.Contains($"$rid={rid}", StringComparison.Ordinal));
            Assert.StartsWith("$iothub/twin/res/204/", topic, StringComparison.Ordinal);
        }

        public Task ReportSuccessAsync(string workflowId, string provider)
        {
            var installed = JsonSerializer.Serialize(new { provider, name = "Toaster", version = "2.0" });
            var agent = new JsonObject
            {
                ["state"] = 0,
                ["workflow"] = new JsonObject { ["action"] = 3, ["id"] = workflowId },
                ["installedUpdateId"] = installed,
                ["lastInstallResult"] = new JsonObject { ["resultCode"] = 700, ["extendedResultCodes"] = "00000000" },
            };
            return ReportAsync(new JsonObject { ["deviceUpdate"] = new JsonObject { ["__t"] = "c", ["agent"] = agent } }.ToJsonString());
        }

        public void Dispose() => Client.Dispose();
    }
}
