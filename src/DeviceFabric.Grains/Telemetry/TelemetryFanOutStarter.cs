using DeviceFabric.Hubs;
using DeviceFabric.Streams;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DeviceFabric.Telemetry;

/// <summary>Starts every hub's telemetry fan-out and message routing once the silo is active. Every silo of a cluster does it; starting one twice is harmless.</summary>
internal sealed partial class TelemetryFanOutStarter(
    IGrainFactory grains,
    IOptions<HubOptions> hubs,
    Microsoft.Extensions.Hosting.IHostApplicationLifetime lifetime,
    ILogger<TelemetryFanOutStarter> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(TelemetryFanOutStarter), ServiceLifecycleStage.Active, StartAsync, _ => Task.CompletedTask);

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var hub in hubs.Value.All)
        {
            try
            {
                await grains.GetGrain<DeviceFabric.Routing.IRoutingGrain>(hub.Name).ResumeAsync();
            }
            catch (Exception ex) when (!lifetime.ApplicationStopping.IsCancellationRequested)
            {
                // The deliveries' reminders bring them back within a minute.
                LogRoutingResumeFailed(logger, ex, hub.Name);
            }

            for (var partition = 0; partition < FabricStreams.TelemetryPartitions; partition++)
            {
                try
                {
                    await grains.GetGrain<ITelemetryFanOutGrain>(FabricStreams.TelemetryKey(hub.Name, partition)).StartAsync();
                }
                catch (Exception ex) when (!lifetime.ApplicationStopping.IsCancellationRequested)
                {
                    // Its reminder starts it within a minute.
                    LogStartFailed(logger, ex, hub.Name, partition);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The message routing of {Hub} did not resume at start-up; its deliveries' reminders will resume it")]
    private static partial void LogRoutingResumeFailed(ILogger logger, Exception exception, string hub);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The telemetry fan-out of {Hub} partition {Partition} did not start; its reminder will start it")]
    private static partial void LogStartFailed(ILogger logger, Exception exception, string hub, int partition);
}
