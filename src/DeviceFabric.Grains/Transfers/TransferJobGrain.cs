using DeviceFabric.Hosting;
using DeviceFabric.Hubs;
using DeviceFabric.Jobs;
using DeviceFabric.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DeviceFabric.Transfers;

/// <summary>
/// One import, export or migration (this file: accepting, reading, cancelling and ending it;
/// <c>TransferJobGrain.Import.cs</c>, <c>.Export.cs</c> and <c>.Migrate.cs</c>: the work). The work runs as the grain's own
/// task, storing its progress as it goes; only that task writes the state once the job is accepted.
/// </summary>
internal sealed partial class TransferJobGrain(
    [PersistentState("transfer", GrainStorage.Name)] IPersistentState<TransferJobState> state,
    GrainClock clock,
    IOptions<HubOptions> hubs,
    IOptions<TransferOptions> options,
    TransferInstruments instruments,
    ILogger<TransferJobGrain> logger) : Grain, ITransferJobGrain
{
    /// <summary>The most failures kept in the job itself; an import's log has every one.</summary>
    private const int KeptErrors = 20;

    private string _hub = string.Empty;
    private string _jobId = string.Empty;
    private Task? _work;
    private CancellationTokenSource? _cancel;

    private ITransferDirectoryGrain Directory => GrainFactory.GetGrain<ITransferDirectoryGrain>(_hub);

    private HubDefinition Hub => hubs.Value.Find(_hub) ?? throw new InvalidOperationException($"Hub {_hub} is not configured.");

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_hub, _jobId) = JobKey.Parse(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public async Task<TransferSnapshot> CreateAsync(TransferRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (state.State.Request is not null)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.JobAlreadyExists, $"Job {_jobId} already exists.");
        }

        var checkedRequest = await CheckAsync(request, cancellationToken);
        if (!await Directory.TryStartAsync(_jobId, cancellationToken))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.JobQuotaExceeded, "Another import, export or migration of this hub is running; one runs at a time.");
        }

        state.State = new TransferJobState { Request = checkedRequest, Status = TransferStatus.Enqueued, CreatedTime = clock.Time.GetUtcNow() };
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch
        {
            state.State = new TransferJobState();
            await Directory.EndedAsync(_jobId, CancellationToken.None);
            throw;
        }

        Start();
        return Snapshot();
    }

    public Task<TransferSnapshot?> GetAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(state.State.Request is null ? null : Snapshot());

    public async Task<TransferSnapshot> WaitForEndAsync(TimeSpan within, CancellationToken cancellationToken = default)
    {
        if (state.State.Request is null)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.JobNotFound, $"Job {_jobId} not found.");
        }

        if (_work is { } work)
        {
            var wait = within < TimeSpan.Zero ? TimeSpan.Zero : within > TimeSpan.FromMinutes(5) ? TimeSpan.FromMinutes(5) : within;
            await Task.WhenAny(work, Task.Delay(wait, clock.Time, cancellationToken));
        }

        return Snapshot();
    }

    public async Task<TransferSnapshot> CancelAsync(CancellationToken cancellationToken = default)
    {
        if (state.State.Request is null)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.JobNotFound, $"Job {_jobId} not found.");
        }

        if (_work is { } work)
        {
            await _cancel!.CancelAsync();
            await work;
        }

        return Snapshot();
    }

    public Task ResumeAsync(CancellationToken cancellationToken = default)
    {
        if (_work is null && state.State is { Request: not null, Status: TransferStatus.Enqueued or TransferStatus.Running })
        {
            LogResumed(logger, _jobId, _hub, state.State.LinesDone);
            Start();
        }

        return Task.CompletedTask;
    }

    private void Start()
    {
        DelayDeactivation(IJobGrain.MaxExecutionTime);
        _cancel = new CancellationTokenSource();
        _work = RunAsync(_cancel.Token);
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var request = state.State.Request!;
        try
        {
            state.State.Status = TransferStatus.Running;
            state.State.StartedTime ??= clock.Time.GetUtcNow();
            await state.WriteStateAsync(CancellationToken.None);
            await (request.Type switch
            {
                TransferType.Import => ImportAsync(request, cancellationToken),
                TransferType.Export => ExportAsync(request, cancellationToken),
                _ => MigrateAsync(request, cancellationToken),
            });
            state.State.Status = TransferStatus.Completed;
            state.State.Progress = 100;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            state.State.Status = TransferStatus.Cancelled;
        }
        catch (Exception ex)
        {
            state.State.Status = TransferStatus.Failed;
            state.State.FailureReason = ex switch
            {
                DeviceFabricException => ex.Message,
                IOException or UnauthorizedAccessException => $"The file could not be read or written: {ex.Message}",
                _ => $"The job stopped on an error ({ex.GetType().Name}); what it did stays done, and running it again goes on from there.",
            };
            LogFailed(logger, _jobId, _hub, state.State.FailureReason);
        }

        state.State.EndedTime = clock.Time.GetUtcNow();
        await state.WriteStateAsync(CancellationToken.None);
        await Directory.EndedAsync(_jobId, CancellationToken.None);
        instruments.Ended(request.Type, state.State.Status);
        _work = null;
        DelayDeactivation(TimeSpan.Zero);
    }

    /// <summary>Counts a failure, keeping the first few in the job.</summary>
    private void Failed(TransferError error)
    {
        state.State.Failed++;
        if (state.State.Errors.Count < KeptErrors)
        {
            state.State.Errors.Add(error);
        }
    }

    private TransferSnapshot Snapshot()
    {
        var s = state.State;
        return new TransferSnapshot(_jobId, s.Request!, s.Status, s.Progress, s.Succeeded, s.Failed, s.FailureReason, [.. s.Errors], s.CreatedTime, s.StartedTime, s.EndedTime);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Transfer job {JobId} of hub {Hub} resumed after {Lines} lines")]
    private static partial void LogResumed(ILogger logger, string jobId, string hub, long lines);

    [LoggerMessage(Level = LogLevel.Information, Message = "Transfer job {JobId} of hub {Hub} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string jobId, string hub, string reason);
}
