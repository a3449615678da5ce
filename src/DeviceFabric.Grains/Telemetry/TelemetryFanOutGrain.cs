using DeviceFabric.Streams;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace DeviceFabric.Telemetry;

/// <summary>
/// Tails one partition of the telemetry log and publishes what it reads to the partition's live stream, a batch per
/// read. It starts at the tail it finds when it activates: live subscribers hear what arrives while they listen, and
/// a backend that must not miss anything reads the log through a consumer group instead. A reminder brings it back
/// after the silo holding it is lost.
/// </summary>
// Never moved: it only tails the log, and a lone stopping silo has nowhere to move it to.
[Orleans.Placement.Immovable]
internal sealed partial class TelemetryFanOutGrain(
    ITelemetryLog log, TelemetryInstruments instruments, Microsoft.Extensions.Hosting.IHostApplicationLifetime lifetime, ILogger<TelemetryFanOutGrain> logger)
    : Grain, ITelemetryFanOutGrain, IRemindable
{
    private const int BatchSize = 512;
    private const int BatchesPerTick = 16;

    private IAsyncStream<TelemetryBatch> _stream = null!;
    private string _hub = string.Empty;
    private int _partition;
    private EventPosition _position = EventPosition.Latest;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        _hub = key[..key.LastIndexOf('/')];
        _partition = int.Parse(key[(key.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        _stream = this.GetStreamProvider(FabricStreams.ProviderName).GetStream<TelemetryBatch>(StreamId.Create(FabricStreams.TelemetryNamespace, key));
        // Pinned now, so what is stored between activation and the first tick is not skipped.
        _position = (await log.ReadAsync(_hub, _partition, EventPosition.Latest, 1, TimeSpan.Zero, cancellationToken)).Next;
        this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions(FabricStreams.QueuePollPeriod, FabricStreams.QueuePollPeriod) { KeepAlive = true });
        await this.RegisterOrUpdateReminder("fan-out", TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
    }

    public Task StartAsync() => Task.CompletedTask;

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        // While the node stops, its streams go down: live subscribers are going too, and nothing is lost (it is in the log).
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return;
        }

        try
        {
            for (var i = 0; i < BatchesPerTick; i++)
            {
                var read = await log.ReadAsync(_hub, _partition, _position, BatchSize, TimeSpan.Zero, cancellationToken);
                if (read.Events.Count == 0)
                {
                    return;
                }

                var messages = new TelemetryMessage[read.Events.Count];
                for (var e = 0; e < messages.Length; e++)
                {
                    messages[e] = read.Events[e].Message;
                }

                await _stream.OnNextAsync(new TelemetryBatch(messages));
                instruments.Read("live", messages.Length);
                _position = read.Next;
                if (read.Events.Count < BatchSize)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // The position stays, so the next tick tries the same events again.
            LogFanOutFailed(logger, ex, _hub, _partition);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogStopping(logger, ex, _hub, _partition);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Telemetry of {Hub} partition {Partition} was not handed to its live stream: the node is stopping")]
    private static partial void LogStopping(ILogger logger, Exception exception, string hub, int partition);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telemetry of {Hub} partition {Partition} could not be handed to its live stream; retrying")]
    private static partial void LogFanOutFailed(ILogger logger, Exception exception, string hub, int partition);
}
