using System.Text.Json;
using System.Text.Json.Serialization;
using DeviceFabric.Contracts;
using DeviceFabric.Jobs;

namespace DeviceFabric.Tests.Api;

/// <summary>
/// Composed documents match the Contracts shapes the OpenAPI document declares for them: every member they write is a
/// member of the shape, so the shape cannot fall behind its composer.
/// </summary>
public sealed class DocumentShapeTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private static readonly JsonSerializerOptions s_strict = new(ContractsJsonContext.Default.Options)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Twin_FitsTwinJson()
    {
        var device = await fixture.Node.Client.Devices.CreateAsync("shape-" + Guid.NewGuid().ToString("N")[..10], cancellationToken: Ct);
        using var http = fixture.Node.CreateHttpClient();
        var twin = JsonSerializer.Deserialize<TwinJson>(await http.GetStringAsync($"/twins/{device.DeviceId}", Ct), s_strict)!;
        Assert.Equal(device.DeviceId, twin.DeviceId);
        Assert.NotNull(twin.Properties?.Desired);
    }

    [Fact]
    public void Job_FitsJobResponseJson()
    {
        var request = new JobRequest(
            JobType.ScheduleDeviceMethod, "*", null, new JobMethod("reboot", """{"delay":1}""", TimeSpan.FromSeconds(30), TimeSpan.Zero), null, null, 0.1);
        var now = DateTimeOffset.UtcNow;
        var snapshot = new JobSnapshot("j1", request, JobStatus.Failed, now, now, now, new DeviceJobStatistics(3, 1, 2, 0, 0), "threshold", "note", "j0", "j1-rollback");

        var job = JsonSerializer.Deserialize<JobResponseJson>(JobJson.Serialize(snapshot), s_strict)!;

        Assert.Equal("reboot", job.CloudToDeviceMethod?.MethodName);
        Assert.Equal(2, job.DeviceJobStatistics?.SucceededCount);
        Assert.Equal("j1-rollback", job.RollbackJobId);
    }
}
