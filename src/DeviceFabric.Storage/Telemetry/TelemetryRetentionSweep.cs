using DeviceFabric.Hubs;
using DeviceFabric.Streams;
using DeviceFabric.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DeviceFabric.Storage.Telemetry;

/// <summary>Applies each hub's retention (age and size) to every partition of its log, once per sweep interval.</summary>
internal sealed partial class TelemetryRetentionSweep(
    ITelemetryLog log,
    IOptions<HubOptions> hubs,
    IOptions<TelemetryLogOptions> options,
    TelemetryInstruments instruments,
    TimeProvider time,
    ILogger<TelemetryRetentionSweep> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RetentionSweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await SweepAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        foreach (var hub in hubs.Value.All)
        {
            for (var partition = 0; partition < FabricStreams.TelemetryPartitions; partition++)
            {
                try
                {
                    var removed = await log.ApplyRetentionAsync(hub.Name, partition, cancellationToken);
                    if (removed > 0)
                    {
                        instruments.Trimmed(hub.Name, removed);
                        LogTrimmed(logger, hub.Name, partition, removed);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The next sweep tries again; the log keeps more than its retention meanwhile, never less.
                    LogSweepFailed(logger, ex, hub.Name, partition);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Telemetry retention removed {Count} messages from {Hub} partition {Partition}")]
    private static partial void LogTrimmed(ILogger logger, string hub, int partition, long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telemetry retention of {Hub} partition {Partition} failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception, string hub, int partition);
}
