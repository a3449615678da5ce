using System.Text.Json.Nodes;
using DeviceFabric.Jobs;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Jobs;

/// <summary>Job history: an ended job is forgotten 30 days after its creation, as IoT Hub does; a live one never is.</summary>
public sealed class JobHistoryTests(FakeTimeClusterFixture fixture) : IClassFixture<FakeTimeClusterFixture>
{
    [Fact]
    public async Task EndedJobs_AreForgottenAfter30Days_ScheduledOnesAreKept()
    {
        var client = fixture.Client;
        var patch = JsonNode.Parse("""{"tags":{"a":1}}""")!.AsObject();
        await client.Jobs.ScheduleTwinUpdateAsync("old-ended", "tags.none = 1", patch, fixture.Time.GetUtcNow().AddHours(1));
        await client.Jobs.CancelAsync("old-ended");
        await client.Jobs.ScheduleTwinUpdateAsync("old-waiting", "tags.none = 1", patch, fixture.Time.GetUtcNow().AddDays(60));

        fixture.Time.Advance(TimeSpan.FromDays(29));
        await client.Jobs.ScheduleTwinUpdateAsync("day-29", "tags.none = 1", patch, fixture.Time.GetUtcNow().AddHours(1));
        Assert.Equal(JobStatus.Cancelled, (await client.Jobs.GetAsync("old-ended")).Status);

        fixture.Time.Advance(TimeSpan.FromDays(2));
        await client.Jobs.ScheduleTwinUpdateAsync("day-31", "tags.none = 1", patch, fixture.Time.GetUtcNow().AddHours(1));

        var listed = await client.Jobs.QueryAsync(pageSize: 100);
        var ids = listed.Items.Select(i => JsonNode.Parse(i)!["jobId"]!.GetValue<string>()).ToList();
        Assert.DoesNotContain("old-ended", ids);
        Assert.Contains("old-waiting", ids);
        Assert.Contains("day-29", ids);
        Assert.Equal(JobStatus.Scheduled, (await client.Jobs.GetAsync("old-waiting")).Status);
    }
}
