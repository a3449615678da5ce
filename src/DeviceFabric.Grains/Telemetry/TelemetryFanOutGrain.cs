using DeviceFabric.Streams;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace DeviceFabric.Telemetry;

/// <summary>
/// Tails one partition of the telemetry log and publishes what it reads to the partition's live stream, a batch per
/// read, while anything listens (<see cref="TelemetryListeners"/>, looked at every second and whenever a listener
/// arrives): live subscribers hear what arrives while they listen, and a backend that must not miss anything reads the
/// log through a consumer group instead. Nobody listening costs nothing per message: reading the log back and the
/// stream's copies were a sixth of the node's CPU under load. A reminder brings it back after the silo holding it is lost.
/// </summary>
// Never moved: it only tails the log, and a lone stopping silo has nowhere to move it to.
[Orleans.Placement.Immovable]
internal sealed partial class TelemetryFanOutGrain(
    ITelemetryLog log, TelemetryInstruments instruments, Microsoft.Extensions.Hosting.IHostApplicationLifetime lifetime, ILogger<TelemetryFanOutGrain> logger)
    : Grain, ITelemetryFanOutGrain, IRemindable
{
    private const int BatchSize = 512;
    private const int BatchesPerTick = 16;

    /// <summary>Ticks between looks for listeners: about a second at the stream's poll period.</summary>
    private const int TicksPerListenerLook = 100;

    private IAsyncStream<TelemetryBatch> _stream = null!;
    private string _hub = string.Empty;
    private int _partition;
    private EventPosition _position = EventPosition.Latest;
    private TelemetryListeners _listeners = null!;
    private bool _live;
    private int _ticksToLook;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        _hub = key[..key.LastIndexOf('/')];
        _partition = int.Parse(key[(key.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var provider = this.GetStreamProvider(FabricStreams.ProviderName);
        var streamId = StreamId.Create(FabricStreams.TelemetryNamespace, key);
        _stream = provider.GetStream<TelemetryBatch>(streamId);
        _listeners = new TelemetryListeners(GrainFactory, provider, _hub, streamId);
        await LookForListenersAsync(cancellationToken);
        this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions(FabricStreams.QueuePollPeriod, FabricStreams.QueuePollPeriod) { KeepAlive = true });
        await this.RegisterOrUpdateReminder("fan-out", TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        instruments.Live(this.GetPrimaryKeyString(), _hub, live: false);
        return Task.CompletedTask;
    }

    public Task StartAsync() => Task.CompletedTask;

    public async Task ListenerArrivedAsync()
    {
        await BeginAsync(CancellationToken.None);
        _ticksToLook = TicksPerListenerLook;
    }

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
            if (--_ticksToLook <= 0)
            {
                await LookForListenersAsync(cancellationToken);
            }

            for (var i = 0; _live && i < BatchesPerTick; i++)
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

    /// <summary>Hands over while anything listens, and stops once the last listener has gone.</summary>
    private async Task LookForListenersAsync(CancellationToken cancellationToken)
    {
        _ticksToLook = TicksPerListenerLook;
        bool live;
        try
        {
            live = await _listeners.AnyAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Unsure, so it hands over: a listener must not miss telemetry because a look failed.
            LogLookFailed(logger, ex, _hub, _partition);
            live = true;
        }

        if (live)
        {
            await BeginAsync(cancellationToken);
        }
        else if (_live)
        {
            _live = false;
            instruments.Live(this.GetPrimaryKeyString(), _hub, live: false);
        }
    }

    /// <summary>Begins at the tail when the first listener arrives: pinned now, so what is stored from here on reaches it.</summary>
    private async Task BeginAsync(CancellationToken cancellationToken)
    {
        if (!_live)
        {
            _position = (await log.ReadAsync(_hub, _partition, EventPosition.Latest, 1, TimeSpan.Zero, cancellationToken)).Next;
            _live = true;
            instruments.Live(this.GetPrimaryKeyString(), _hub, live: true);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell whether anything listens to the telemetry of {Hub} partition {Partition}; handing it over")]
    private static partial void LogLookFailed(ILogger logger, Exception exception, string hub, int partition);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Telemetry of {Hub} partition {Partition} was not handed to its live stream: the node is stopping")]
    private static partial void LogStopping(ILogger logger, Exception exception, string hub, int partition);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telemetry of {Hub} partition {Partition} could not be handed to its live stream; retrying")]
    private static partial void LogFanOutFailed(ILogger logger, Exception exception, string hub, int partition);
}
