using DeviceFabric.Persistence;
using DeviceFabric.Registry;
using Microsoft.Extensions.Logging;

namespace DeviceFabric.Jobs;

/// <summary>
/// One job: accepts it, starts it on time (a reminder wakes it, across restarts), fans it out to one slice per registry
/// shard, and follows their reports to its end. Progress and the failure threshold are in <c>JobGrain.Progress.cs</c>.
/// </summary>
internal sealed partial class JobGrain(
    [PersistentState("job", GrainStorage.Name)] IPersistentState<JobState> state,
    DeviceFabric.Hosting.GrainClock clock,
    JobInstruments instruments,
    ILogger<JobGrain> logger) : Grain, IJobGrain, IJobControlGrain, IRemindable
{
    private const string ReminderName = "job";
    private static readonly TimeSpan s_reminderPeriod = TimeSpan.FromMinutes(1);

    private string _hub = string.Empty;
    private string _jobId = string.Empty;

    /// <summary>Whether this activation counts in the silo's running-jobs gauge.</summary>
    private bool _countedRunning;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_hub, _jobId) = JobKey.Parse(this.GetPrimaryKeyString());
        CountRunning();
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_countedRunning)
        {
            instruments.RunningChanged(-1);
            _countedRunning = false;
        }

        return Task.CompletedTask;
    }

    /// <summary>Keeps the running-jobs gauge in step with this job's status.</summary>
    private void CountRunning()
    {
        var running = state.State.Status == JobStatus.Running;
        if (running != _countedRunning)
        {
            instruments.RunningChanged(running ? 1 : -1);
            _countedRunning = running;
        }
    }

    public async Task<JobSnapshot> CreateAsync(JobRequest request, CancellationToken cancellationToken = default)
    {
        if (state.State.Request is not null)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.JobAlreadyExists, $"Job {_jobId} already exists.");
        }

        var now = clock.Time.GetUtcNow();
        JobRules.Validate(_jobId, request, now);
        return await AcceptAsync(request, now, rollbackOf: null, cancellationToken);
    }

    public Task<JobSnapshot?> GetAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(state.State.Request is null ? null : Snapshot());

    public async Task<JobSnapshot> CancelAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfMissing();
        if (!Snapshot().IsFinished)
        {
            await StopAsync(JobStatus.Cancelled, failureReason: null);
        }

        return Snapshot();
    }

    public async Task<JobSnapshot> RollbackAsync(string? rollbackJobId, CancellationToken cancellationToken = default)
    {
        ThrowIfMissing();
        if (state.State.Request!.Type != JobType.ScheduleUpdateTwin || state.State.RollbackOf is not null)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"Job {_jobId} is not a twin update, so it has nothing to roll back.");
        }

        if (state.State.RollbackJobId is { } existing)
        {
            return (await GrainFactory.GetGrain<IJobGrain>(JobKey.Create(_hub, existing)).GetAsync(cancellationToken))!;
        }

        var rollbackId = rollbackJobId ?? JobRules.RollbackIdOf(_jobId);
        JobRules.ValidateId(rollbackId);
        if (rollbackId == _jobId)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "A rollback needs an id of its own.");
        }

        if (await GrainFactory.GetGrain<IJobGrain>(JobKey.Create(_hub, rollbackId)).GetAsync(cancellationToken) is not null)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.JobAlreadyExists, $"Job {rollbackId} already exists.");
        }

        if (state.State.Status is JobStatus.Scheduled or JobStatus.Running)
        {
            // A rollback must see every change the job made, so the job stops first.
            await StopAsync(JobStatus.Cancelled, failureReason: null);
        }

        return await StartRollbackAsync(rollbackId, CancellationToken.None);
    }

    public async Task<JobSnapshot> CreateRollbackAsync(string parentJobId, JobRequest parentRequest, CancellationToken cancellationToken = default)
    {
        if (state.State.Request is not null)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.JobAlreadyExists, $"Job {_jobId} already exists.");
        }

        // Each device gets its own restoring patch from the parent's rows; the job-wide patch is empty.
        var request = parentRequest with { StartTime = null, FailureThreshold = null, UpdateTwinJson = "{}" };
        return await AcceptAsync(request, clock.Time.GetUtcNow(), parentJobId, cancellationToken);
    }

    public async Task ForgetAsync()
    {
        if (state.State.Request is null || !Snapshot().IsFinished)
        {
            return;
        }

        await ForgetReminderAsync();
        await state.ClearStateAsync();
        DeactivateOnIdle();
    }

    public async Task ResumeAsync(CancellationToken cancellationToken = default)
    {
        if (state.State.Request is null || Snapshot().IsFinished)
        {
            return;
        }

        await ScheduleAsync();
        if (state.State.Status == JobStatus.Scheduled && clock.Time.GetUtcNow() >= state.State.StartTime)
        {
            await BeginAsync();
        }
        else if (state.State.Status == JobStatus.Running)
        {
            await StartSlicesAsync(CancellationToken.None);
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (state.State.Request is null || Snapshot().IsFinished)
        {
            await ForgetReminderAsync();
            return;
        }

        if (state.State.Status == JobStatus.Scheduled && clock.Time.GetUtcNow() >= state.State.StartTime)
        {
            await BeginAsync();
        }
        else if (state.State.Status == JobStatus.Running)
        {
            await StartSlicesAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Stores the job, listed first so that a crash after the store still leaves it where the start-up wake finds it
    /// (a listing without a stored job is ignored). Nothing of it stays in memory if the store fails.
    /// </summary>
    private async Task<JobSnapshot> AcceptAsync(JobRequest request, DateTimeOffset now, string? rollbackOf, CancellationToken cancellationToken)
    {
        var s = new JobState
        {
            Request = request,
            CreatedTime = now,
            StartTime = request.StartTime is { } start && start > now ? start : now,
            Status = JobStatus.Scheduled,
            RollbackOf = rollbackOf,
        };
        await GrainFactory.GetGrain<IJobDirectoryControlGrain>(_hub).RecordAsync(new JobListing(_jobId, request.Type, s.Status, now), CancellationToken.None);
        var previous = state.State;
        state.State = s;
        try
        {
            await state.WriteStateAsync(CancellationToken.None);
        }
        catch
        {
            state.State = previous;
            throw;
        }

        LogAccepted(logger, _hub, _jobId, request.Type, s.StartTime);
        await ScheduleAsync();
        if (s.StartTime <= now)
        {
            await BeginAsync();
        }

        return Snapshot();
    }

    private async Task BeginAsync()
    {
        state.State.Status = JobStatus.Running;
        state.State.StartTime = clock.Time.GetUtcNow();
        await state.WriteStateAsync(CancellationToken.None);
        CountRunning();
        await RecordAsync(CancellationToken.None);
        await PublishAsync();
        await StartSlicesAsync(CancellationToken.None);
    }

    private Task StartSlicesAsync(CancellationToken cancellationToken)
    {
        var s = state.State;
        var plan = new JobPlan(_jobId, s.Request!, s.CreatedTime, s.StartTime + (s.Request!.MaxExecutionTime ?? JobRules.DefaultMaxExecutionTime), s.RollbackOf);
        return Task.WhenAll(Enumerable.Range(0, RegistryShards.Count).Select(shard => Slice(shard).StartAsync(plan, cancellationToken)));
    }

    /// <summary>The reminder wakes the job at its start time and every minute while it runs, in case its silo restarted.</summary>
    private Task ScheduleAsync()
    {
        var due = state.State.StartTime - clock.Time.GetUtcNow();
        return this.RegisterOrUpdateReminder(ReminderName, due > TimeSpan.Zero ? due : s_reminderPeriod, s_reminderPeriod);
    }

    private async Task ForgetReminderAsync()
    {
        if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private async Task<JobSnapshot> StartRollbackAsync(string rollbackJobId, CancellationToken cancellationToken)
    {
        JobRules.ValidateId(rollbackJobId);
        var rollback = await GrainFactory.GetGrain<IJobControlGrain>(JobKey.Create(_hub, rollbackJobId)).CreateRollbackAsync(_jobId, state.State.Request!, cancellationToken);
        state.State.RollbackJobId = rollbackJobId;
        await state.WriteStateAsync(cancellationToken);
        return rollback;
    }

    private Task RecordAsync(CancellationToken cancellationToken) =>
        GrainFactory.GetGrain<IJobDirectoryControlGrain>(_hub).RecordAsync(
            new JobListing(_jobId, state.State.Request!.Type, state.State.Status, state.State.CreatedTime), cancellationToken);

    private IJobSliceGrain Slice(int shard) => GrainFactory.GetGrain<IJobSliceGrain>(JobSliceKey.Create(_hub, _jobId, shard));

    private void ThrowIfMissing()
    {
        if (state.State.Request is null)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.JobNotFound, $"Job {_jobId} not found.");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Hub}/{JobId} accepted: {Type}, starting {StartTime:o}")]
    private static partial void LogAccepted(ILogger logger, string hub, string jobId, JobType type, DateTimeOffset startTime);
}
