using DeviceFabric.Persistence;
using DeviceFabric.Registry;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace DeviceFabric.Jobs;

/// <summary>
/// The devices of one job in one registry shard. Reentrant: its workers await device calls while counts, cancels and
/// queries are answered. Rows are checkpointed every second rather than per device: a resumed slice redoes at most the
/// last second's devices, and twin patches apply once per job, so a redone twin device changes nothing.
/// </summary>
[Reentrant]
internal sealed partial class JobSliceGrain(
    [PersistentState("jobslice", GrainStorage.Name)] IPersistentState<JobSliceState> state,
    DeviceFabric.Hosting.GrainClock clock,
    JobInstruments instruments,
    ILogger<JobSliceGrain> logger) : Grain, IJobSliceGrain
{
    /// <summary>Device calls in flight per slice: with 128 slices, up to 1,024 per job across the cluster.</summary>
    private const int Workers = 8;

    private static readonly TimeSpan s_checkpointPeriod = TimeSpan.FromSeconds(1);

    private GroupCommit? _commit;
    private Task? _starting;
    private Task? _run;
    private bool _cancelled;
    private bool _dirty;
    private string _hub = string.Empty;
    private int _shard;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_hub, _, _shard) = JobSliceKey.Parse(this.GetPrimaryKeyString());
        _commit = new GroupCommit(() => state.WriteStateAsync());
        return Task.CompletedTask;
    }

    public async Task StartAsync(JobPlan plan, CancellationToken cancellationToken = default)
    {
        if (state.State.Finished)
        {
            Report(finished: true);
            return;
        }

        // Concurrent starts and cancels share one selection, so a slice never runs on part of its devices.
        _starting ??= SelectOnceAsync(plan);
        await _starting;
        if (_run is null && !state.State.Finished && !_cancelled)
        {
            _run = RunAsync();
        }
    }

    public async Task CancelAsync(CancellationToken cancellationToken = default)
    {
        _cancelled = true;
        if (_starting is { } starting)
        {
            try
            {
                await starting;
            }
            catch (Exception)
            {
                // The selection failed and stored nothing: there is nothing to cancel.
            }
        }

        if (state.State.Plan is not { } plan || state.State.Finished)
        {
            return;
        }

        // Devices not reached are canceled at once; calls in flight finish on their own.
        foreach (var row in state.State.Rows.Values.Where(r => r.Status == DeviceJobStatus.Pending))
        {
            (row.Status, row.EndTime) = (DeviceJobStatus.Canceled, clock.Time.GetUtcNow());
        }

        if (_run is null)
        {
            await FinishAsync();
        }
        else if (plan.Request.Type == JobType.ScheduleUpdateTwin)
        {
            // A twin patch is quick, and a rollback must see every one this job made: wait for those in flight.
            await _run;
        }
    }

    /// <summary>
    /// Picks the slice's devices once and stores them with the plan; a failed selection stores nothing, so the next
    /// start selects again.
    /// </summary>
    private async Task SelectOnceAsync(JobPlan plan)
    {
        if (state.State.Plan is not null)
        {
            return;
        }

        try
        {
            var rows = new Dictionary<string, DeviceJobRow>(StringComparer.Ordinal);
            foreach (var (deviceId, patch) in await SelectAsync(plan, CancellationToken.None))
            {
                rows[deviceId] = new DeviceJobRow { DeviceId = deviceId, Patch = patch };
            }

            (state.State.Plan, state.State.Rows) = (plan, rows);
            await _commit!.CommitAsync();
        }
        catch
        {
            (state.State.Plan, state.State.Rows) = (null, new(StringComparer.Ordinal));
            _starting = null;
            throw;
        }
    }

    public async Task ForgetAsync()
    {
        if (_run is not null && !_run.IsCompleted || (state.State.Plan is not null && !state.State.Finished))
        {
            return;
        }

        await state.ClearStateAsync();
        DeactivateOnIdle();
    }

    public Task<DeviceJobStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default) => Task.FromResult(Statistics());

    public Task<IReadOnlyList<KeyValuePair<string, string>>> GetChangesAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<KeyValuePair<string, string>>>(state.State.Rows.Values
            .Where(r => r.Status == DeviceJobStatus.Completed && r.Patch is not null)
            .Select(r => KeyValuePair.Create(r.DeviceId, r.Patch!))
            .ToList());

    /// <summary>The devices the slice takes on: its shard's matches, or for a rollback the devices its parent changed here.</summary>
    private async Task<IReadOnlyList<KeyValuePair<string, string?>>> SelectAsync(JobPlan plan, CancellationToken cancellationToken)
    {
        if (plan.RollbackOf is { } parent)
        {
            var changes = await GrainFactory.GetGrain<IJobSliceGrain>(JobSliceKey.Create(_hub, parent, _shard)).GetChangesAsync(cancellationToken);
            return changes.Select(c => KeyValuePair.Create(c.Key, (string?)c.Value)).ToList();
        }

        var ids = await GrainFactory.GetGrain<IRegistryShardGrain>(RegistryShards.Key(_hub, _shard)).MatchAsync(plan.Request.QueryCondition, cancellationToken);
        return ids.Select(id => KeyValuePair.Create(id, (string?)null)).ToList();
    }

    private async Task RunAsync()
    {
        using var checkpoints = this.RegisterGrainTimer(CheckpointAsync, new GrainTimerCreationOptions { DueTime = s_checkpointPeriod, Period = s_checkpointPeriod, KeepAlive = true });
        var queue = new Queue<DeviceJobRow>(state.State.Rows.Values.Where(r => r.Status is DeviceJobStatus.Pending or DeviceJobStatus.Running));
        Report(finished: false);
        await Task.WhenAll(Enumerable.Range(0, Math.Min(Workers, queue.Count)).Select(_ => WorkAsync(queue)));
        await FinishAsync();
    }

    private async Task WorkAsync(Queue<DeviceJobRow> queue)
    {
        var plan = state.State.Plan!;
        while (!_cancelled && queue.TryDequeue(out var row))
        {
            if (clock.Time.GetUtcNow() >= plan.Deadline)
            {
                queue.Enqueue(row);
                return;
            }

            row.Status = DeviceJobStatus.Running;
            row.StartTime = clock.Time.GetUtcNow();
            try
            {
                await DeviceJobWork.RunAsync(GrainFactory, _hub, plan, row);
                row.Status = DeviceJobStatus.Completed;
            }
            catch (DeviceFabricException ex)
            {
                (row.Status, row.ErrorCode, row.ErrorDescription) = (DeviceJobStatus.Failed, ex.Code.WireName(), ex.Message);
            }
            catch (Exception ex)
            {
                LogDeviceFault(logger, ex, _hub, plan.JobId, row.DeviceId);
                (row.Status, row.ErrorCode, row.ErrorDescription) = (DeviceJobStatus.Failed, nameof(DeviceFabricErrorCode.ServerError), "The device could not be handled.");
            }

            row.EndTime = clock.Time.GetUtcNow();
            instruments.DeviceOperations(row.Status == DeviceJobStatus.Completed, 1);
            _dirty = true;
        }
    }

    /// <summary>Ends the slice: devices not reached are canceled (job cancelled) or failed (past the job's time).</summary>
    private async Task FinishAsync()
    {
        var now = clock.Time.GetUtcNow();
        foreach (var row in state.State.Rows.Values.Where(r => r.Status is DeviceJobStatus.Pending or DeviceJobStatus.Running))
        {
            row.EndTime = now;
            if (_cancelled)
            {
                row.Status = DeviceJobStatus.Canceled;
            }
            else
            {
                (row.Status, row.ErrorCode, row.ErrorDescription) = (DeviceJobStatus.Failed, "JobTimedOut", "The job ran past its maximum execution time.");
            }
        }

        state.State.Finished = true;
        await _commit!.CommitAsync();
        Report(finished: true);
    }

    private async Task CheckpointAsync(CancellationToken cancellationToken)
    {
        if (_dirty)
        {
            _dirty = false;
            await _commit!.CommitAsync();
        }

        Report(finished: false);
    }

    private void Report(bool finished) =>
        _ = GrainFactory.GetGrain<IJobControlGrain>(JobKey.Create(_hub, state.State.Plan!.JobId)).ReportAsync(_shard, Statistics(), finished);

    private DeviceJobStatistics Statistics()
    {
        long failed = 0, succeeded = 0, running = 0, pending = 0;
        foreach (var row in state.State.Rows.Values)
        {
            switch (row.Status)
            {
                case DeviceJobStatus.Completed: succeeded++; break;
                case DeviceJobStatus.Failed: failed++; break;
                case DeviceJobStatus.Running: running++; break;
                case DeviceJobStatus.Pending: pending++; break;
            }
        }

        return new DeviceJobStatistics(state.State.Rows.Count, failed, succeeded, running, pending);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Hub}/{JobId}: device {DeviceId} failed unexpectedly")]
    private static partial void LogDeviceFault(ILogger logger, Exception exception, string hub, string jobId, string deviceId);
}
