using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using DeviceFabric.Devices;
using DeviceFabric.Registry;
using DeviceFabric.Storage;
using Orleans.Concurrency;

namespace DeviceFabric.Jobs;

/// <summary>
/// A hub's job directory: each job's listing, kept by the jobs themselves (group-committed, so concurrent jobs share a
/// write). Answers the jobs query and <c>FROM devices.jobs</c>, and wakes unfinished jobs when a silo starts.
/// </summary>
[Reentrant]
internal sealed class JobDirectoryGrain : Grain, IJobDirectoryGrain, IJobRegistrarGrain
{
    private readonly IPersistentState<JobDirectoryState> _state;
    private readonly GroupCommit _commit;

    public JobDirectoryGrain([PersistentState("jobs", GrainStorage.Name)] IPersistentState<JobDirectoryState> state)
    {
        _state = state;
        _commit = new GroupCommit(() => _state.WriteStateAsync());
    }

    private string Hub => this.GetPrimaryKeyString();

    public Task RecordAsync(JobListing listing, CancellationToken cancellationToken = default)
    {
        _state.State.Jobs[listing.JobId] = listing;
        return _commit.CommitAsync();
    }

    public Task ResumeAllAsync(CancellationToken cancellationToken = default) =>
        Task.WhenAll(_state.State.Jobs.Values
            .Where(j => j.Status is JobStatus.Scheduled or JobStatus.Running)
            .Select(j => GrainFactory.GetGrain<IJobControlGrain>(DeviceKey.Create(Hub, j.JobId)).ResumeAsync(cancellationToken)));

    public async Task<QueryPage> QueryJobsAsync(JobType? type, JobStatus? status, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var skip = DecodeOffset(continuationToken);
        var listed = _state.State.Jobs.Values
            .Where(j => (type is null || j.Type == type) && (status is null || j.Status == status))
            .OrderByDescending(j => j.CreatedTime).ThenBy(j => j.JobId, StringComparer.Ordinal)
            .Skip(skip).Take(pageSize + 1).ToList();
        var page = listed.Take(pageSize).ToList();
        var snapshots = await Task.WhenAll(page.Select(j => GrainFactory.GetGrain<IJobGrain>(DeviceKey.Create(Hub, j.JobId)).GetAsync(cancellationToken)));
        var items = snapshots.OfType<JobSnapshot>().Select(s => JobJson.Serialize(s)).ToList();
        var token = listed.Count > pageSize ? EncodeOffset(skip + pageSize) : null;
        return new QueryPage(items, token, QueryItemType.JobResponse);
    }

    /// <summary>Job rows in order of job id, then device id; the token is the last row's job and device.</summary>
    public async Task<QueryPage> QueryDeviceJobsAsync(string query, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var (afterJob, afterDevice) = DecodeRowToken(continuationToken);
        var items = new List<string>();
        string? lastJob = null, lastDevice = null;
        foreach (var jobId in _state.State.Jobs.Keys.Order(StringComparer.Ordinal).Where(id => afterJob is null || string.CompareOrdinal(id, afterJob) >= 0))
        {
            var after = jobId == afterJob ? afterDevice : null;
            var wanted = pageSize + 1 - items.Count;
            var slices = await Task.WhenAll(Enumerable.Range(0, RegistryShards.Count).Select(shard =>
                GrainFactory.GetGrain<IJobSliceGrain>(JobKeys.Slice(Hub, jobId, shard)).QueryRowsAsync(query, after, wanted, cancellationToken)));
            foreach (var match in slices.SelectMany(s => s).OrderBy(m => m.DeviceId, StringComparer.Ordinal).Take(wanted))
            {
                items.Add(match.Json);
                (lastJob, lastDevice) = (jobId, match.DeviceId);
            }

            if (items.Count > pageSize)
            {
                break;
            }
        }

        if (items.Count <= pageSize)
        {
            return new QueryPage(items, null, QueryItemType.DeviceJob);
        }

        items.RemoveAt(items.Count - 1);
        var last = JsonNode.Parse(items[^1])!;
        var token = EncodeRowToken(last["jobId"]?.GetValue<string>() ?? lastJob!, last["deviceId"]?.GetValue<string>() ?? lastDevice!);
        return new QueryPage(items, token, QueryItemType.DeviceJob);
    }

    private static string EncodeOffset(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes("o:" + offset.ToString(CultureInfo.InvariantCulture)));

    private static int DecodeOffset(string? token)
    {
        var text = Decode(token);
        return text is null ? 0
            : text.StartsWith("o:", StringComparison.Ordinal) && int.TryParse(text.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var offset) ? offset
            : throw BadToken();
    }

    private static string EncodeRowToken(string jobId, string deviceId) => Convert.ToBase64String(Encoding.UTF8.GetBytes(jobId + "\n" + deviceId));

    private static (string? JobId, string? DeviceId) DecodeRowToken(string? token)
    {
        var text = Decode(token);
        if (text is null)
        {
            return (null, null);
        }

        var split = text.IndexOf('\n', StringComparison.Ordinal);
        return split > 0 ? (text[..split], text[(split + 1)..]) : throw BadToken();
    }

    private static string? Decode(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        var bytes = new byte[token.Length];
        return Convert.TryFromBase64String(token, bytes, out var written) ? Encoding.UTF8.GetString(bytes, 0, written) : throw BadToken();
    }

    private static DeviceFabricException BadToken() => new(DeviceFabricErrorCode.ArgumentInvalid, "The continuation token is not one this fabric issued.");
}
