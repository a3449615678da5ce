using System.Text.Json.Nodes;
using DeviceFabric.Client;
using DeviceFabric.Jobs;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Jobs;

/// <summary>Jobs through the grain client SDK: fan-out through the shards, per-device rows, cancel, threshold and rollback.</summary>
[Collection(ClusterCollection.Name)]
public sealed class JobTests(ClusterFixture fixture)
{
    private readonly DeviceFabricClient _client = fixture.Client;

    private static JsonObject Json(string json) => JsonNode.Parse(json)!.AsObject();

    private async Task<(string Run, List<string> Ids)> CreateFleetAsync(int count, Func<int, JsonObject?>? desired = null)
    {
        var run = "j" + Guid.NewGuid().ToString("N")[..10];
        var ids = Enumerable.Range(0, count).Select(i => $"{run}-{i:D4}").ToList();
        await Parallel.ForEachAsync(ids.Select((id, i) => (id, i)), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (d, _) =>
        {
            await _client.Devices.CreateAsync(d.id);
            var patch = new JsonObject { ["tags"] = new JsonObject { ["run"] = run } };
            if (desired?.Invoke(d.i) is { } values)
            {
                patch["properties"] = new JsonObject { ["desired"] = values };
            }

            await _client.Twins.UpdateAsync(d.id, patch);
        });
        return (run, ids);
    }

    private async Task<JsonObject> DesiredAsync(string id) => (await _client.Twins.GetAsync(id))["properties"]!["desired"]!.AsObject();

    [Fact]
    public async Task TwinUpdateJob_PatchesEveryMatchingDeviceOnce_AndCountsThem()
    {
        var (run, ids) = await CreateFleetAsync(300);
        await using var watch = await JobWatch.StartAsync(_client);

        var created = await _client.Jobs.ScheduleTwinUpdateAsync(run, $"tags.run = '{run}'", Json("""{"properties":{"desired":{"fw":"2.1"}},"tags":{"wave":1}}"""));
        Assert.Equal(JobStatus.Running, created.Status);
        var job = await watch.WaitForEndAsync(run);

        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Equal(new DeviceJobStatistics(300, 0, 300, 0, 0), job.Statistics);
        Assert.NotNull(job.EndTime);
        foreach (var id in ids)
        {
            var desired = await DesiredAsync(id);
            Assert.Equal("2.1", desired["fw"]!.GetValue<string>());
            Assert.Equal(2, desired["$version"]!.GetValue<long>());
        }

        var rows = new List<JsonObject>();
        await foreach (var row in _client.Query.QueryAsync($"SELECT * FROM devices.jobs WHERE devices.jobs.jobId = '{run}'", pageSize: 100))
        {
            rows.Add(row);
        }

        Assert.Equal(ids, rows.Select(r => r["deviceId"]!.GetValue<string>()));
        Assert.All(rows, r => Assert.Equal("completed", r["status"]!.GetValue<string>()));
        Assert.All(rows, r => Assert.Equal("scheduleUpdateTwin", r["jobType"]!.GetValue<string>()));
        Assert.Contains(watch.Events, e => e.JobId == run && e.Status == JobStatus.Running);
    }

    [Fact]
    public async Task Rollback_RestoresExactlyWhatTheJobReplaced()
    {
        // Half the devices had a firmware setting and a nested config; the others had neither.
        var (run, ids) = await CreateFleetAsync(20, i => i % 2 == 0 ? Json("""{"fw":"1.0","config":{"rate":5,"mode":"eco"}}""") : null);
        var before = await Task.WhenAll(ids.Select(DesiredAsync));
        await using var watch = await JobWatch.StartAsync(_client);
        await _client.Jobs.ScheduleTwinUpdateAsync(run, $"tags.run = '{run}'", Json("""{"properties":{"desired":{"fw":"2.0","config":{"rate":9}}}}"""));
        Assert.Equal(JobStatus.Completed, (await watch.WaitForEndAsync(run)).Status);
        Assert.Equal(9, (await DesiredAsync(ids[1]))["config"]!["rate"]!.GetValue<int>());

        var rollback = await _client.Jobs.RollbackAsync(run);
        Assert.Equal(run + "-rollback", rollback.JobId);
        Assert.Equal(run, rollback.ParentJobId);
        var ended = await watch.WaitForEndAsync(rollback.JobId);

        Assert.Equal(JobStatus.Completed, ended.Status);
        Assert.Equal(20, ended.Statistics.SucceededCount);
        for (var i = 0; i < ids.Count; i++)
        {
            var after = await DesiredAsync(ids[i]);
            foreach (var system in (string[])["$version", "$metadata"])
            {
                after.Remove(system);
                before[i].Remove(system);
            }
            Assert.True(JsonNode.DeepEquals(before[i], after), $"{ids[i]}: {before[i].ToJsonString()} != {after.ToJsonString()}");
        }

        Assert.Equal(run + "-rollback", (await _client.Jobs.GetAsync(run)).RollbackJobId);
    }

    [Fact]
    public async Task FailureThreshold_StopsTheJob_AndRollsBackTheDevicesItChanged()
    {
        // Three of ten devices are near the 32 KB desired limit, so the job's patch fails on them (30% > 20%).
        var big = new string('x', 3000);
        var (run, ids) = await CreateFleetAsync(10, i => i < 3
            ? new JsonObject(Enumerable.Range(0, 10).Select(k => KeyValuePair.Create<string, JsonNode?>("k" + k, big)))
            : Json("""{"fw":"1.0"}"""));
        await using var watch = await JobWatch.StartAsync(_client);

        await _client.Jobs.ScheduleTwinUpdateAsync(run, $"tags.run = '{run}'", new JsonObject { ["properties"] = new JsonObject { ["desired"] = new JsonObject { ["fw"] = "2.0", ["blob"] = big } } }, failureThreshold: 0.2);
        var job = await watch.WaitForEndAsync(run);

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("failed", job.FailureReason, StringComparison.Ordinal);
        Assert.Equal(run + "-rollback", job.RollbackJobId);
        var rollback = await watch.WaitForEndAsync(job.RollbackJobId!);
        Assert.Equal(JobStatus.Completed, rollback.Status);
        Assert.Equal(7, rollback.Statistics.DeviceCount);
        foreach (var id in ids.Skip(3))
        {
            var desired = await DesiredAsync(id);
            Assert.Equal("1.0", desired["fw"]!.GetValue<string>());
            Assert.False(desired.ContainsKey("blob"));
        }
    }

    [Fact]
    public async Task DeviceJobRows_PageExactly_WhateverTheSelect_AndARollbackCannotTakeItsJobsId()
    {
        var (run, _) = await CreateFleetAsync(5);
        await using var watch = await JobWatch.StartAsync(_client);
        await _client.Jobs.ScheduleTwinUpdateAsync(run, $"tags.run = '{run}'", Json("""{"tags":{"paged":true}}"""));
        await watch.WaitForEndAsync(run);

        var statuses = new List<JsonObject>();
        await foreach (var row in _client.Query.QueryAsync($"SELECT status FROM devices.jobs WHERE devices.jobs.jobId = '{run}'", pageSize: 2))
        {
            statuses.Add(row);
        }

        Assert.Equal(5, statuses.Count);
        Assert.All(statuses, r => Assert.Equal("completed", r["status"]!.GetValue<string>()));

        var top = new List<JsonObject>();
        await foreach (var row in _client.Query.QueryAsync($"SELECT TOP 3 * FROM devices.jobs WHERE devices.jobs.jobId = '{run}'", pageSize: 2))
        {
            top.Add(row);
        }

        Assert.Equal(3, top.Count);
        var aggregate = await Assert.ThrowsAsync<DeviceFabricServiceException>(() => _client.Query.QueryPageAsync("SELECT COUNT() FROM devices.jobs"));
        Assert.Equal(DeviceFabricErrorCode.ArgumentInvalid, aggregate.ErrorCode);

        var self = await Assert.ThrowsAsync<DeviceFabricServiceException>(() => _client.Jobs.RollbackAsync(run, rollbackJobId: run));
        Assert.Equal(DeviceFabricErrorCode.ArgumentInvalid, self.ErrorCode);
    }

    [Fact]
    public async Task MethodJob_OnOfflineDevices_FailsEachDevice_WithIotHubsError()
    {
        var (run, ids) = await CreateFleetAsync(5);
        await using var watch = await JobWatch.StartAsync(_client);
        await _client.Jobs.ScheduleDeviceMethodAsync(run, $"tags.run = '{run}'", new JobMethod("reboot", "{\"delay\":1}", TimeSpan.FromSeconds(5), TimeSpan.Zero));

        var job = await watch.WaitForEndAsync(run);

        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Equal(new DeviceJobStatistics(5, 5, 0, 0, 0), job.Statistics);
        var page = await _client.Query.QueryPageAsync($"SELECT * FROM devices.jobs WHERE devices.jobs.jobId = '{run}' AND status = 'failed'");
        Assert.Equal(5, page.Items.Count);
        Assert.All(page.Items, i => Assert.Equal("DeviceNotOnline", JsonNode.Parse(i)!["error"]!["code"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ScheduledJob_CancelledBeforeItsStart_ChangesNothing()
    {
        var (run, ids) = await CreateFleetAsync(3);
        var job = await _client.Jobs.ScheduleTwinUpdateAsync(run, $"tags.run = '{run}'", Json("""{"tags":{"x":1}}"""), startTime: DateTimeOffset.UtcNow.AddHours(1));
        Assert.Equal(JobStatus.Scheduled, job.Status);

        var cancelled = await _client.Jobs.CancelAsync(run);

        Assert.Equal(JobStatus.Cancelled, cancelled.Status);
        Assert.All(await Task.WhenAll(ids.Select(id => _client.Twins.GetAsync(id))), t => Assert.False(t["tags"]!.AsObject().ContainsKey("x")));
        var listed = await _client.Jobs.QueryAsync(JobType.ScheduleUpdateTwin, JobStatus.Cancelled, pageSize: 1000);
        Assert.Contains(listed.Items, i => JsonNode.Parse(i)!["jobId"]!.GetValue<string>() == run);
    }

    [Theory]
    [InlineData("tags.run = ", null, DeviceFabricErrorCode.ArgumentInvalid)]
    [InlineData("*", """{"properties":{"reported":{"x":1}}}""", DeviceFabricErrorCode.ArgumentInvalid)]
    [InlineData("*", """{"nothing":1}""", DeviceFabricErrorCode.ArgumentInvalid)]
    [InlineData("*", """{"tags":{"a.b":1}}""", DeviceFabricErrorCode.ArgumentInvalid)]
    public async Task BadRequests_AreRefused_AndCreateNothing(string condition, string? patch, DeviceFabricErrorCode expected)
    {
        var jobId = "bad-" + Guid.NewGuid().ToString("N")[..8];
        var error = await Assert.ThrowsAsync<DeviceFabricServiceException>(() =>
            _client.Jobs.CreateAsync(jobId, new JobRequest(JobType.ScheduleUpdateTwin, condition, patch ?? """{"tags":{"a":1}}""", null, null, null)));
        Assert.Equal(expected, error.ErrorCode);
        var missing = await Assert.ThrowsAsync<DeviceFabricServiceException>(() => _client.Jobs.GetAsync(jobId));
        Assert.Equal(DeviceFabricErrorCode.JobNotFound, missing.ErrorCode);
    }

    [Fact]
    public async Task DuplicateId_PastStartAndOversizedPatch_AreRefused()
    {
        var jobId = "dup-" + Guid.NewGuid().ToString("N")[..8];
        await _client.Jobs.ScheduleTwinUpdateAsync(jobId, "tags.none = 1", Json("""{"tags":{"a":1}}"""), startTime: DateTimeOffset.UtcNow.AddHours(1));
        var duplicate = await Assert.ThrowsAsync<DeviceFabricServiceException>(() =>
            _client.Jobs.ScheduleTwinUpdateAsync(jobId, "*", Json("""{"tags":{"b":1}}""")));
        Assert.Equal(DeviceFabricErrorCode.JobAlreadyExists, duplicate.ErrorCode);
        Assert.Equal("tags.none = 1", (await _client.Jobs.GetAsync(jobId)).Request.QueryCondition);

        var past = await Assert.ThrowsAsync<DeviceFabricServiceException>(() =>
            _client.Jobs.ScheduleTwinUpdateAsync("past-" + jobId, "*", Json("""{"tags":{"b":1}}"""), startTime: DateTimeOffset.UtcNow.AddHours(-1)));
        Assert.Equal(DeviceFabricErrorCode.ArgumentInvalid, past.ErrorCode);

        var oversized = await Assert.ThrowsAsync<DeviceFabricServiceException>(() =>
            _client.Jobs.ScheduleTwinUpdateAsync("big-" + jobId, "*", new JsonObject { ["tags"] = new JsonObject { ["a"] = new string('x', 4000), ["b"] = new string('x', 4000), ["c"] = new string('x', 1000) } }));
        Assert.Equal(DeviceFabricErrorCode.MessageTooLarge, oversized.ErrorCode);
        await _client.Jobs.CancelAsync(jobId);
    }
}
