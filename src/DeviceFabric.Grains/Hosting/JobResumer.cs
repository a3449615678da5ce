using DeviceFabric.Hubs;
using DeviceFabric.Jobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DeviceFabric.Hosting;

/// <summary>
/// Wakes every hub's unfinished jobs once the silo is active, so a running job resumes at once after a restart and a
/// scheduled one re-arms its start (the single node's reminders are in memory). Every silo of a cluster does it; waking
/// a job twice is harmless.
/// </summary>
internal sealed partial class JobResumer(
    IGrainFactory grains,
    IOptions<HubOptions> hub,
    Microsoft.Extensions.Hosting.IHostApplicationLifetime lifetime,
    ILogger<JobResumer> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(JobResumer), ServiceLifecycleStage.Active, OnActiveAsync, _ => Task.CompletedTask);

    private Task OnActiveAsync(CancellationToken cancellationToken)
    {
        // Not awaited: silo start-up must not wait on jobs.
        _ = Task.Run(async () =>
        {
            foreach (var name in hub.Value.All.Select(h => h.Name))
            {
                try
                {
                    await grains.GetGrain<IJobDirectoryControlGrain>(name).ResumeAllAsync(CancellationToken.None);
                    await grains.GetGrain<DeviceFabric.Transfers.ITransferDirectoryGrain>(name).ResumeAsync(CancellationToken.None);
                    await grains.GetGrain<DeviceFabric.Configurations.IConfigurationsControlGrain>(name).ResumeAsync(CancellationToken.None);
                    await grains.GetGrain<DeviceFabric.Updates.IUpdateDirectoryGrain>(name).ResumeAsync(CancellationToken.None);
                }
                catch (Exception ex) when (!lifetime.ApplicationStopping.IsCancellationRequested)
                {
                    LogResumeFailed(logger, ex, name);
                }
                catch (Exception)
                {
                    // The node stops before it finished starting: what was not resumed is resumed at its next start.
                    return;
                }
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Jobs of hub {Hub} could not be resumed at start-up; their reminders will resume them")]
    private static partial void LogResumeFailed(ILogger logger, Exception exception, string hub);
}
