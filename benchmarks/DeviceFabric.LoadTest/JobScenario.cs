using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace DeviceFabric.LoadTest;

/// <summary>
/// The job scenario: one twin-update job over every registered device of the run (no device connects), timed from the
/// PUT to the job's end as the REST API reports it. Operations are the devices the job updated.
/// </summary>
public sealed partial class Scenarios
{
    private async Task<LoadResult> TwinJobAsync(ServerProbe probe, CancellationToken cancellationToken)
    {
        var jobId = $"{options.DevicePrefix}-job-{DateTime.UtcNow:HHmmss}";
        var body = "{\"type\":\"scheduleUpdateTwin\",\"queryCondition\":\"STARTSWITH(deviceId, '" + options.DevicePrefix + "-')\","
            + "\"updateTwin\":{\"properties\":{\"desired\":{\"wave\":\"" + jobId + "\"}}}}";
        probe.Restart();
        var clock = Stopwatch.StartNew();
        using (var created = await fabric.SendAsync(HttpMethod.Put, $"/jobs/v2/{jobId}", body, cancellationToken))
        {
            created.EnsureSuccessStatusCode();
        }

        JsonElement job;
        while (true)
        {
            using var response = await fabric.SendAsync(HttpMethod.Get, $"/jobs/v2/{jobId}", string.Empty, cancellationToken);
            job = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement.Clone();
            var statistics = job.GetProperty("deviceJobStatistics");
            progress(string.Create(CultureInfo.InvariantCulture,
                $"job: {job.GetProperty("status").GetString()}, {statistics.GetProperty("succeededCount").GetInt64()}/{statistics.GetProperty("deviceCount").GetInt64()} devices, {clock.Elapsed.TotalSeconds:F1} s"));
            if (job.GetProperty("status").GetString() is not ("running" or "scheduled"))
            {
                break;
            }

            await Task.Delay(250, cancellationToken);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var counts = job.GetProperty("deviceJobStatistics");
        var (updated, querySeconds) = await CountUpdatedAsync(jobId, cancellationToken);
        var succeeded = counts.GetProperty("succeededCount").GetInt64();
        // A device the job updated but the query does not show is an error of the run.
        var failed = (int)counts.GetProperty("failedCount").GetInt64() + (updated == succeeded ? 0 : 1);
        return new LoadResult("job", TargetName, options.Devices, succeeded, seconds, succeeded / seconds, 0, 0, 0, seconds * 1000, failed,
            probe.CpuPercent, probe.HarnessCpuPercent, probe.ResidentBytes, 0, $"twin-update job over {counts.GetProperty("deviceCount").GetInt64()} registered devices, status {job.GetProperty("status").GetString()}; max ms = whole job; "
            + string.Create(CultureInfo.InvariantCulture, $"then a COUNT() query found {updated} updated in {querySeconds * 1000:F0} ms"));
    }

    /// <summary>Counts the devices whose twin shows the job's patch, through a query over every shard's projection.</summary>
    private async Task<(long Count, double Seconds)> CountUpdatedAsync(string jobId, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var body = "{\"query\":\"SELECT COUNT() AS n FROM devices WHERE properties.desired.wave = '" + jobId + "'\"}";
        using var response = await fabric.SendAsync(HttpMethod.Post, "/devices/query", body, cancellationToken);
        var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement;
        return (result[0].GetProperty("n").GetInt64(), clock.Elapsed.TotalSeconds);
    }
}
