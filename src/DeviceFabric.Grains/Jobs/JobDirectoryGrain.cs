using DeviceFabric.Persistence;
using DeviceFabric.Query;
using DeviceFabric.Registry;
using Orleans.Concurrency;

namespace DeviceFabric.Jobs;

/// <summary>
/// A hub's job directory: each job's listing, kept by the jobs themselves (group-committed, so concurrent jobs share a
/// write). Answers the jobs query and <c>FROM devices.jobs</c>, and wakes unfinished jobs when a silo starts.
/// </summary>
[Reentrant]
internal sealed partial class JobDirectoryGrain : Grain, IJobDirectoryGrain, IJobDirectoryControlGrain
{
    private readonly IPersistentState<JobDirectoryState> _state;
    private readonly GroupCommit _commit;
    private readonly DeviceFabric.Hosting.GrainClock _clock;
    private readonly Microsoft.Extensions.Logging.ILogger<JobDirectoryGrain> _logger;

    public JobDirectoryGrain(
        [PersistentState("jobs", GrainStorage.Name)] IPersistentState<JobDirectoryState> state,
        DeviceFabric.Hosting.GrainClock clock,
        Microsoft.Extensions.Logging.ILogger<JobDirectoryGrain> logger)
    {
        _state = state;
        _clock = clock;
        _logger = logger;
        _commit = new GroupCommit(() => _state.WriteStateAsync());
    }

    private string Hub => this.GetPrimaryKeyString();

    public Task RecordAsync(JobListing listing, CancellationToken cancellationToken = default)
    {
        _state.State.Jobs[listing.JobId] = listing;
        PruneExpired();
        return _commit.CommitAsync();
    }

    public Task ResumeAllAsync(CancellationToken cancellationToken = default) =>
        Task.WhenAll(_state.State.Jobs.Values
            .Where(j => j.Status is JobStatus.Scheduled or JobStatus.Running)
            .Select(j => GrainFactory.GetGrain<IJobControlGrain>(JobKey.Create(Hub, j.JobId)).ResumeAsync(cancellationToken)));

    /// <summary>Newest first; the token is the last job's creation time and id, so jobs created meanwhile never shift a page.</summary>
    public async Task<QueryPage> QueryJobsAsync(JobType? type, JobStatus? status, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var after = DecodeJobToken(continuationToken);
        var listed = _state.State.Jobs.Values
            .Where(j => (type is null || j.Type == type) && (status is null || j.Status == status))
            .Where(j => after is not { } a || j.CreatedTime < a.Created || (j.CreatedTime == a.Created && string.CompareOrdinal(j.JobId, a.JobId) > 0))
            .OrderByDescending(j => j.CreatedTime).ThenBy(j => j.JobId, StringComparer.Ordinal)
            .Take(pageSize + 1).ToList();
        var page = listed.Take(pageSize).ToList();
        var snapshots = await Task.WhenAll(page.Select(j => GrainFactory.GetGrain<IJobGrain>(JobKey.Create(Hub, j.JobId)).GetAsync(cancellationToken)));
        var items = snapshots.OfType<JobSnapshot>().Select(JobJson.Serialize).ToList();
        var token = listed.Count > pageSize ? EncodeJobToken(page[^1]) : null;
        return new QueryPage(items, token, QueryItemType.JobResponse);
    }

    /// <summary>Job rows in order of job id, then device id; the token is the last row's job and device.</summary>
    public async Task<QueryPage> QueryDeviceJobsAsync(string query, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var parsed = QueryParser.Parse(query);
        if (QueryResults.IsAggregate(parsed) || parsed.GroupBy is not null)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "devices.jobs queries cannot aggregate or group, as in IoT Hub.");
        }

        var (count, afterJob, afterDevice) = DecodeRowToken(continuationToken);
        pageSize = parsed.Top is { } top ? Math.Min(pageSize, top - count) : pageSize;
        if (pageSize <= 0)
        {
            return new QueryPage([], null, QueryItemType.DeviceJob);
        }

        var items = new List<(string JobId, QueryMatch Match)>();
        foreach (var jobId in _state.State.Jobs.Keys.Order(StringComparer.Ordinal).Where(id => afterJob is null || string.CompareOrdinal(id, afterJob) >= 0))
        {
            var after = jobId == afterJob ? afterDevice : null;
            var wanted = pageSize + 1 - items.Count;
            var slices = await Task.WhenAll(Enumerable.Range(0, RegistryShards.Count).Select(shard =>
                GrainFactory.GetGrain<IJobSliceGrain>(JobSliceKey.Create(Hub, jobId, shard)).QueryRowsAsync(query, after, wanted, cancellationToken)));
            items.AddRange(slices.SelectMany(s => s).OrderBy(m => m.DeviceId, StringComparer.Ordinal).Take(wanted).Select(m => (jobId, m)));
            if (items.Count > pageSize)
            {
                break;
            }
        }

        // The token names the last row returned (not the extra one read to learn there is more), whatever the SELECT.
        var returned = items.Take(pageSize).ToList();
        var hasMore = items.Count > pageSize && (parsed.Top is null || count + returned.Count < parsed.Top);
        var token = hasMore ? EncodeRowToken(count + returned.Count, returned[^1].JobId, returned[^1].Match.DeviceId) : null;
        return new QueryPage(returned.Select(i => i.Match.Json).ToList(), token, QueryItemType.DeviceJob);
    }

    private static string EncodeJobToken(JobListing last) =>
        ContinuationTokens.Encode(ContinuationTokens.Number(last.CreatedTime.UtcTicks), last.JobId);

    private static (DateTimeOffset Created, string JobId)? DecodeJobToken(string? token) =>
        ContinuationTokens.Decode(token, 2) is { } parts
            ? (new DateTimeOffset(ContinuationTokens.Number(parts[0], DateTimeOffset.MaxValue.UtcTicks), TimeSpan.Zero), parts[1])
            : null;

    /// <summary>Rows returned so far (for TOP), then the last row's job and device.</summary>
    private static string EncodeRowToken(int count, string jobId, string deviceId) =>
        ContinuationTokens.Encode(ContinuationTokens.Number(count), jobId, deviceId);

    private static (int Count, string? JobId, string? DeviceId) DecodeRowToken(string? token) =>
        ContinuationTokens.Decode(token, 3) is { } parts ? ((int)ContinuationTokens.Number(parts[0], int.MaxValue), parts[1], parts[2]) : (0, null, null);
}
