using DeviceFabric.Client;
using DeviceFabric.Jobs;

namespace DeviceFabric.Tests.Infrastructure;

/// <summary>Waits for jobs to end through the SDK's progress stream (no polling), then reads the job itself.</summary>
internal sealed class JobWatch : IAsyncDisposable
{
    private readonly DeviceFabricClient _client;
    private readonly Recorder<JobProgressEvent> _events = new();
    private IAsyncDisposable? _subscription;

    private JobWatch(DeviceFabricClient client) => _client = client;

    public IReadOnlyList<JobProgressEvent> Events => _events.Seen;

    /// <summary>Subscribes before the job is created, so its end cannot be missed.</summary>
    public static async Task<JobWatch> StartAsync(DeviceFabricClient client)
    {
        var watch = new JobWatch(client);
        watch._subscription = await client.Jobs.SubscribeProgressAsync(watch._events.Add);
        return watch;
    }

    /// <summary>Waits for a progress event that matches, such as a job seen part-way.</summary>
    public Task<JobProgressEvent> WaitForAsync(Func<JobProgressEvent, bool> match, TimeSpan timeout, string what) =>
        _events.WaitForAsync(match, timeout, what);

    public async Task<JobSnapshot> WaitForEndAsync(string jobId, TimeSpan? timeout = null)
    {
        var current = await _client.Jobs.GetAsync(jobId);
        if (!current.IsFinished)
        {
            await _events.WaitForAsync(
                e => e.JobId == jobId && e.Status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled,
                timeout ?? TimeSpan.FromSeconds(60),
                $"the end of job {jobId}");
        }

        return await _client.Jobs.GetAsync(jobId);
    }

    public async ValueTask DisposeAsync()
    {
        if (_subscription is not null)
        {
            await _subscription.DisposeAsync();
        }
    }
}
