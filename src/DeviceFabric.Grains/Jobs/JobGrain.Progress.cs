using DeviceFabric.Registry;
using DeviceFabric.Streams;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace DeviceFabric.Jobs;

/// <summary>Slice reports, the job's counts, its end (completed, failed or cancelled) and its progress events.</summary>
internal sealed partial class JobGrain
{
    private readonly Dictionary<int, DeviceJobStatistics> _slices = [];
    private readonly HashSet<int> _finishedSlices = [];
    private IAsyncStream<JobProgressEvent>? _progress;

    public async Task ReportAsync(int shard, DeviceJobStatistics statistics, bool finished)
    {
        if (state.State.Request is null || Snapshot().IsFinished)
        {
            return;
        }

        if (_finishedSlices.Contains(shard))
        {
            return; // A late progress report never replaces a finished slice's final counts.
        }

        _slices[shard] = statistics;
        if (finished)
        {
            _finishedSlices.Add(shard);
        }

        var totals = Totals();
        if (_slices.Count == RegistryShards.Count && state.State.Request.FailureThreshold is { } threshold
            && totals.DeviceCount > 0 && (double)totals.FailedCount / totals.DeviceCount > threshold)
        {
            var reason = $"More than {threshold:P0} of the devices failed ({totals.FailedCount} of {totals.DeviceCount}).";
            var final = await StopSlicesAsync();
            if (state.State.Request.Type == JobType.ScheduleUpdateTwin && state.State.RollbackOf is null)
            {
                // The rollback exists before the failure is announced, so whoever sees the failure can follow it.
                await RollBackAfterFailureAsync();
            }

            await EndAsync(JobStatus.Failed, reason, final);
            return;
        }

        if (_finishedSlices.Count == RegistryShards.Count)
        {
            var timedOut = totals.FailedCount > 0 && clock.Time.GetUtcNow() >= state.State.StartTime + (state.State.Request.MaxExecutionTime ?? JobRules.DefaultMaxExecutionTime);
            await EndAsync(timedOut ? JobStatus.Failed : JobStatus.Completed, timedOut ? "The job ran past its maximum execution time." : null, totals);
            return;
        }

        await PublishAsync();
    }

    /// <summary>
    /// Stops the job's slices (twin slices return once no patch is in flight) and ends the job with their counts. The
    /// status changes only once the end is stored, so a stop that fails half-way leaves the job running and retryable.
    /// No caller's token is taken: a client that gives up must not leave a job half-stopped.
    /// </summary>
    private async Task StopAsync(JobStatus status, string? failureReason) =>
        await EndAsync(status, failureReason, await StopSlicesAsync());

    /// <summary>Cancels a running job's slices and returns their final counts (none for a job that never started).</summary>
    private async Task<DeviceJobStatistics> StopSlicesAsync()
    {
        if (state.State.Status != JobStatus.Running)
        {
            return DeviceJobStatistics.Empty;
        }

        await Task.WhenAll(Enumerable.Range(0, RegistryShards.Count).Select(shard => Slice(shard).CancelAsync(CancellationToken.None)));
        var counts = await Task.WhenAll(Enumerable.Range(0, RegistryShards.Count).Select(shard => Slice(shard).GetStatisticsAsync(CancellationToken.None)));
        return counts.Aggregate(DeviceJobStatistics.Empty, (sum, c) => sum.Add(c));
    }

    /// <summary>Creates the rollback a failure threshold asks for; a failure to create it is logged and noted on the job.</summary>
    private async Task RollBackAfterFailureAsync()
    {
        var rollbackId = JobRules.RollbackIdOf(_jobId);
        try
        {
            await GrainFactory.GetGrain<IJobControlGrain>(JobKey.Create(_hub, rollbackId)).CreateRollbackAsync(_jobId, state.State.Request!, CancellationToken.None);
            state.State.RollbackJobId = rollbackId;
        }
        catch (Exception ex)
        {
            LogRollbackFailed(logger, ex, _hub, _jobId);
            state.State.StatusMessage = "The automatic rollback could not start: " + ex.Message;
        }
    }

    private async Task EndAsync(JobStatus status, string? failureReason, DeviceJobStatistics totals)
    {
        var s = state.State;
        var before = (s.Status, s.FailureReason, s.EndTime, s.Statistics);
        (s.Status, s.FailureReason, s.EndTime, s.Statistics) = (status, failureReason, clock.Time.GetUtcNow(), totals);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            (s.Status, s.FailureReason, s.EndTime, s.Statistics) = before;
            throw;
        }

        CountRunning();
        instruments.Ended(status.ToString().ToLowerInvariant());

        await RecordAsync(CancellationToken.None);
        await ForgetReminderAsync();
        LogEnded(logger, _hub, _jobId, status, totals.SucceededCount, totals.FailedCount, totals.DeviceCount);
        await PublishAsync();
    }

    private DeviceJobStatistics Totals() => _slices.Values.Aggregate(DeviceJobStatistics.Empty, (sum, c) => sum.Add(c));

    private JobSnapshot Snapshot()
    {
        var s = state.State;
        var statistics = s.Status switch
        {
            JobStatus.Running => Totals(),
            JobStatus.Scheduled => DeviceJobStatistics.Empty,
            _ => s.Statistics,
        };
        return new JobSnapshot(_jobId, s.Request!, s.Status, s.CreatedTime, s.StartTime, s.EndTime, statistics, s.FailureReason, s.StatusMessage, s.RollbackOf, s.RollbackJobId);
    }

    /// <summary>Publishes the job's progress; best effort, like every fabric event.</summary>
    private async Task PublishAsync()
    {
        try
        {
            _progress ??= this.GetStreamProvider(FabricStreams.ProviderName)
                .GetStream<JobProgressEvent>(StreamId.Create(FabricStreams.JobsNamespace, _hub));
            var snapshot = Snapshot();
            await _progress.OnNextAsync(new JobProgressEvent(_hub, _jobId, snapshot.Status, snapshot.Statistics, clock.Time.GetUtcNow()));
        }
        catch (Exception ex)
        {
            LogProgressLost(logger, ex, _hub, _jobId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Hub}/{JobId} ended {Status}: {Succeeded} succeeded, {Failed} failed of {Devices}")]
    private static partial void LogEnded(ILogger logger, string hub, string jobId, JobStatus status, long succeeded, long failed, long devices);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {Hub}/{JobId}: its failure threshold was passed but the rollback could not start")]
    private static partial void LogRollbackFailed(ILogger logger, Exception exception, string hub, string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Hub}/{JobId}: a progress event could not be published")]
    private static partial void LogProgressLost(ILogger logger, Exception exception, string hub, string jobId);
}
