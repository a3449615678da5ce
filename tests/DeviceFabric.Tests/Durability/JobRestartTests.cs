using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DeviceFabric.Client;
using DeviceFabric.Jobs;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Durability;

/// <summary>Jobs survive restarts: a scheduled job starts on time, a running job resumes without repeating a device.</summary>
public sealed class JobRestartTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ScheduledJob_StartsOnTime_AfterTheNodeRestarts()
    {
        var data = TestNode.NewDataDirectory();
        var deviceId = "sched-" + Guid.NewGuid().ToString("N")[..8];
        var startTime = DateTimeOffset.UtcNow.AddSeconds(4);
        await using (var node = await TestNode.StartAsync(data))
        {
            await node.Client.Devices.CreateAsync(deviceId, cancellationToken: Ct);
            var job = await node.Client.Jobs.ScheduleTwinUpdateAsync("later", $"deviceId = '{deviceId}'", new JsonObject { ["tags"] = new JsonObject { ["woken"] = true } }, startTime, cancellationToken: Ct);
            Assert.Equal(JobStatus.Scheduled, job.Status);
        }

        await using (var node = await TestNode.StartAsync(data))
        {
            await using var watch = await JobWatch.StartAsync(node.Client);
            var job = await watch.WaitForEndAsync("later", TimeSpan.FromSeconds(30));

            Assert.Equal(JobStatus.Completed, job.Status);
            Assert.True(job.StartTime >= startTime, $"started {job.StartTime:o}, scheduled for {startTime:o}");
            Assert.Equal(1, job.Statistics.SucceededCount);
            Assert.True((await node.Client.Twins.GetAsync(deviceId, Ct))["tags"]!["woken"]!.GetValue<bool>());
        }
    }

    [Fact]
    public async Task RunningJob_KilledHard_ResumesAfterRestart_WithoutRepeatingADevice()
    {
        const int Devices = 3000;
        var data = TestNode.NewDataDirectory();
        var run = "resume" + Guid.NewGuid().ToString("N")[..6];
        var jobBody = new JsonObject
        {
            ["type"] = "scheduleUpdateTwin",
            ["queryCondition"] = $"STARTSWITH(deviceId, '{run}')",
            ["updateTwin"] = new JsonObject { ["properties"] = new JsonObject { ["desired"] = new JsonObject { ["fw"] = "9" } } },
        };

        await using (var silo = await SiloProcess.StartAsync(data))
        {
            using var http = HttpsClients.Create(silo);
            for (var batch = 0; batch < Devices / 100; batch++)
            {
                var devices = Enumerable.Range(batch * 100, 100).Select(i => new { id = $"{run}-{i:D5}", importMode = "create" });
                var bulk = await http.PostAsync("/devices?api-version=2021-04-12", new StringContent(JsonSerializer.Serialize(devices), Encoding.UTF8, "application/json"), Ct);
                Assert.True((await ApiAssert.JsonAsync(bulk)).GetProperty("isSuccessful").GetBoolean());
            }

            // The job is seen part-way (some devices done, not all), then the power goes.
            JobProgressEvent progress;
            await using (var client = await ConnectAsync(silo))
            await using (var watch = await JobWatch.StartAsync(client))
            {
                await ApiAssert.JsonAsync(await http.PutAsync($"/jobs/v2/{run}", new StringContent(jobBody.ToJsonString(), Encoding.UTF8, "application/json"), Ct));
                progress = await watch.WaitForAsync(e => e.JobId == run && e.Statistics.SucceededCount > 0, TimeSpan.FromSeconds(60), "the job part-way");
            }

            Assert.Equal(JobStatus.Running, progress.Status);
            silo.Kill();
        }

        await using (var silo = await SiloProcess.StartAsync(data))
        {
            using var http = HttpsClients.Create(silo);
            await using var client = await ConnectAsync(silo);
            await using var watch = await JobWatch.StartAsync(client);
            var job = await watch.WaitForEndAsync(run, TimeSpan.FromSeconds(120));

            Assert.Equal(JobStatus.Completed, job.Status);
            Assert.Equal(Devices, job.Statistics.DeviceCount);
            Assert.Equal(Devices, job.Statistics.SucceededCount);

            // Patched exactly once each: desired went from version 1 to 2 on every device, never to 3.
            var once = await CountAsync(http, $"STARTSWITH(deviceId, '{run}') AND properties.desired.fw = '9' AND properties.desired.$version = 2");
            Assert.Equal(Devices, once);
        }
    }

    /// <summary>The grain client SDK on the silo process's gateway: job progress arrives as events, no polling.</summary>
    private static Task<DeviceFabricClient> ConnectAsync(SiloProcess silo) =>
        DeviceFabricClient.ConnectAsync(new DeviceFabricClientOptions { GatewayPort = silo.GatewayPort }, Ct);

    private static async Task<int> CountAsync(HttpClient http, string condition)
    {
        var body = JsonSerializer.Serialize(new { query = $"SELECT COUNT() AS n FROM devices WHERE {condition}" });
        var result = await ApiAssert.JsonAsync(await http.PostAsync("/devices/query", new StringContent(body, Encoding.UTF8, "application/json"), Ct));
        return result[0].GetProperty("n").GetInt32();
    }
}
