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

        _slices[shard] = statistics;
        if (finished)
        {
            _finishedSlices.Add(shard);
        }

        var totals = Totals();
        if (_slices.Count == RegistryShards.Count && state.State.Request.FailureThreshold is { } threshold
            && totals.DeviceCount > 0 && (double)totals.FailedCount / totals.DeviceCount > threshold)
        {
            await StopAsync(JobStatus.Failed, $"More than {threshold:P0} of the devices failed ({totals.FailedCount} of {totals.DeviceCount}).", CancellationToken.None);
            if (state.State.Request.Type == JobType.ScheduleUpdateTwin && state.State.RollbackOf is null)
            {
                await StartRollbackAsync(_jobId + "-rollback", CancellationToken.None);
            }

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

    /// <summary>Stops the job's slices (each returns once no device call is in flight) and ends the job with their counts.</summary>
    private async Task StopAsync(JobStatus status, string? failureReason, CancellationToken cancellationToken)
    {
        var wasRunning = state.State.Status == JobStatus.Running;
        state.State.Status = status;
        state.State.FailureReason = failureReason;
        if (wasRunning)
        {
            await Task.WhenAll(Enumerable.Range(0, RegistryShards.Count).Select(shard => Slice(shard).CancelAsync(cancellationToken)));
            var counts = await Task.WhenAll(Enumerable.Range(0, RegistryShards.Count).Select(shard => Slice(shard).GetStatisticsAsync(cancellationToken)));
            await EndAsync(status, failureReason, counts.Aggregate(DeviceJobStatistics.Empty, (sum, c) => sum.Add(c)));
        }
        else
        {
            await EndAsync(status, failureReason, DeviceJobStatistics.Empty);
        }
    }

    private async Task EndAsync(JobStatus status, string? failureReason, DeviceJobStatistics totals)
    {
        var s = state.State;
        s.Status = status;
        s.FailureReason = failureReason;
        s.EndTime = clock.Time.GetUtcNow();
        s.Statistics = totals;
        await state.WriteStateAsync();
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Hub}/{JobId}: a progress event could not be published")]
    private static partial void LogProgressLost(ILogger logger, Exception exception, string hub, string jobId);
}
