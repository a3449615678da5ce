using System.Text.Json.Nodes;
using DeviceFabric.Jobs;
using DeviceFabric.Registry;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Jobs;

/// <summary>A job slice on its own: past its job's time, the devices it has not reached fail as timed out.</summary>
[Collection(ClusterCollection.Name)]
public sealed class JobSliceTests(ClusterFixture fixture)
{
    [Fact]
    public async Task PastTheDeadline_UnreachedDevicesFail_AsJobTimedOut_AndNoTwinChanges()
    {
        var client = fixture.Client;
        var run = "slice" + Guid.NewGuid().ToString("N")[..8];
        var shard = RegistryShards.ShardOf(run + "-0");
        var ids = Enumerable.Range(0, 400).Select(i => $"{run}-{i}").Where(id => RegistryShards.ShardOf(id) == shard).Take(3).ToList();
        Assert.Equal(3, ids.Count);
        foreach (var id in ids)
        {
            await client.Devices.CreateAsync(id);
        }

        var request = new JobRequest(JobType.ScheduleUpdateTwin, $"STARTSWITH(deviceId, '{run}-')", """{"tags":{"late":true}}""", null, null, TimeSpan.FromSeconds(1));
        var now = DateTimeOffset.UtcNow;
        var slice = fixture.Cluster.Client.GetGrain<IJobSliceGrain>(JobSliceKey.Create("devicefabric", run, shard));

        // The slice runs its devices on its own activation; past the deadline it ends before its first device.
        await slice.StartAsync(new JobPlan(run, request, now.AddMinutes(-2), Deadline: now.AddMinutes(-1), RollbackOf: null));
        var statistics = await slice.GetStatisticsAsync();

        Assert.Equal(new DeviceJobStatistics(3, 3, 0, 0, 0), statistics);
        var rows = await slice.QueryRowsAsync("SELECT * FROM devices.jobs", null, 10);
        Assert.Equal(ids.Order(StringComparer.Ordinal), rows.Select(r => r.DeviceId));
        Assert.All(rows, r => Assert.Equal("JobTimedOut", JsonNode.Parse(r.Json)!["error"]!["code"]!.GetValue<string>()));
        Assert.All(await Task.WhenAll(ids.Select(id => client.Twins.GetAsync(id))), t => Assert.False(t["tags"]!.AsObject().ContainsKey("late")));
    }
}
