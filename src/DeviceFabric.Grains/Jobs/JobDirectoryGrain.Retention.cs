using DeviceFabric.Registry;
using Microsoft.Extensions.Logging;

namespace DeviceFabric.Jobs;

/// <summary>
/// Job history, kept as IoT Hub keeps it: a job that has ended is forgotten 30 days after it was created, with its
/// per-device rows. The directory drops the listing (stored with the change that triggered the check); the job and its
/// slices clear their own state in the background.
/// </summary>
internal sealed partial class JobDirectoryGrain
{
    /// <summary>How long an ended job stays readable and listed.</summary>
    public static readonly TimeSpan History = TimeSpan.FromDays(30);

    private static readonly TimeSpan s_checkEvery = TimeSpan.FromHours(1);
    private DateTimeOffset _lastCheck = DateTimeOffset.MinValue;

    /// <summary>Drops expired listings from memory (the caller's commit stores it) and clears their jobs in the background.</summary>
    private void PruneExpired()
    {
        var now = _clock.Time.GetUtcNow();
        if (now - _lastCheck < s_checkEvery)
        {
            return;
        }

        _lastCheck = now;
        var expired = _state.State.Jobs.Values
            .Where(j => j.Status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled && now - j.CreatedTime > History)
            .Select(j => j.JobId)
            .ToList();
        foreach (var jobId in expired)
        {
            _state.State.Jobs.Remove(jobId);
        }

        if (expired.Count > 0)
        {
            _ = ForgetAsync(expired);
        }
    }

    private async Task ForgetAsync(IReadOnlyList<string> jobIds)
    {
        foreach (var jobId in jobIds)
        {
            try
            {
                await GrainFactory.GetGrain<IJobControlGrain>(JobKey.Create(Hub, jobId)).ForgetAsync();
                await Task.WhenAll(Enumerable.Range(0, RegistryShards.Count).Select(shard =>
                    GrainFactory.GetGrain<IJobSliceGrain>(JobSliceKey.Create(Hub, jobId, shard)).ForgetAsync()));
            }
            catch (Exception ex)
            {
                // The listing is gone, so the job is unreachable through the API; its rows stay stored until a retry.
                LogForgetFailed(_logger, ex, Hub, jobId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Hub}/{JobId}: its expired state could not be cleared")]
    private static partial void LogForgetFailed(ILogger logger, Exception exception, string hub, string jobId);
}
