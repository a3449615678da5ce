using System.Text.Json.Nodes;
using DeviceFabric.Jobs;
using DeviceFabric.Registry;
using DeviceFabric.Streams;

namespace DeviceFabric.Client;

/// <summary>Jobs of one hub: the same operations, rules and errors as the REST API's <c>/jobs/v2</c>, plus progress events.</summary>
public sealed class JobsClient
{
    private readonly IClusterClient _client;
    private readonly string _hub;

    internal JobsClient(IClusterClient client, string hub)
    {
        _client = client;
        _hub = hub;
    }

    /// <summary>Schedules a twin update (tags and desired properties) on every device matching <paramref name="queryCondition"/>.</summary>
    /// <exception cref="DeviceFabricServiceException">Bad id, query or patch (400), or the id is taken (409).</exception>
    public Task<JobSnapshot> ScheduleTwinUpdateAsync(
        string jobId, string queryCondition, JsonObject patch, DateTimeOffset? startTime = null, TimeSpan? maxExecutionTime = null, double? failureThreshold = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patch);
        return CreateAsync(jobId, new JobRequest(JobType.ScheduleUpdateTwin, queryCondition, patch.ToJsonString(), null, startTime, maxExecutionTime, failureThreshold), cancellationToken);
    }

    /// <summary>Schedules a direct method call on every device matching <paramref name="queryCondition"/>.</summary>
    /// <exception cref="DeviceFabricServiceException">Bad id, query or method (400), or the id is taken (409).</exception>
    public Task<JobSnapshot> ScheduleDeviceMethodAsync(
        string jobId, string queryCondition, JobMethod method, DateTimeOffset? startTime = null, TimeSpan? maxExecutionTime = null, double? failureThreshold = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        return CreateAsync(jobId, new JobRequest(JobType.ScheduleDeviceMethod, queryCondition, null, method, startTime, maxExecutionTime, failureThreshold), cancellationToken);
    }

    /// <summary>Schedules a job from a request.</summary>
    public Task<JobSnapshot> CreateAsync(string jobId, JobRequest request, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Job(jobId).CreateAsync(request, cancellationToken));

    /// <summary>The job with its counts.</summary>
    /// <exception cref="DeviceFabricServiceException">There is no such job (404).</exception>
    public Task<JobSnapshot> GetAsync(string jobId, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(async () => await Job(jobId).GetAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new DeviceFabricException(DeviceFabricErrorCode.JobNotFound, $"Job {jobId} not found."));

    /// <summary>Cancels a job that has not ended.</summary>
    public Task<JobSnapshot> CancelAsync(string jobId, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Job(jobId).CancelAsync(cancellationToken));

    /// <summary>Restores what a twin-update job changed, as a new job (default id <c>{jobId}-rollback</c>).</summary>
    public Task<JobSnapshot> RollbackAsync(string jobId, string? rollbackJobId = null, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Job(jobId).RollbackAsync(rollbackJobId, cancellationToken));

    /// <summary>Jobs, newest first, filtered by type and status when given.</summary>
    public Task<QueryPage> QueryAsync(JobType? type = null, JobStatus? status = null, int pageSize = 100, string? continuationToken = null, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() =>
            _client.GetGrain<IJobDirectoryGrain>(_hub).QueryJobsAsync(type, status, pageSize, continuationToken, cancellationToken));

    /// <summary>Calls <paramref name="handler"/> as the hub's jobs start, progress and end.</summary>
    public Task<IAsyncDisposable> SubscribeProgressAsync(Func<JobProgressEvent, Task> handler, CancellationToken cancellationToken = default) =>
        ClientGuards.SubscribeAsync(_client, FabricStreams.JobsNamespace, _hub, handler, cancellationToken);

    private IJobGrain Job(string jobId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        return _client.GetGrain<IJobGrain>(JobKey.Create(_hub, jobId));
    }
}
