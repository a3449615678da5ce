using System.Text.Json.Nodes;
using DeviceFabric.Hosting;
using DeviceFabric.Query;
using DeviceFabric.Telemetry;
using Microsoft.Extensions.Logging;

namespace DeviceFabric.Routing;

/// <summary>
/// Delivers one partition's routed messages to one endpoint. It reads the built-in log (device telemetry) and the
/// system-events log (routed lifecycle, connection-state, twin-change and job events) from checkpoints of its own,
/// stored after each delivered batch: at least once, in partition order, and an endpoint that fails holds up only
/// itself. A new endpoint starts at the logs' ends (routes apply from when they are made, as IoT Hub's do).
/// </summary>
[Orleans.Placement.Immovable]
internal sealed partial class RouteDeliveryGrain(
    [PersistentState("routedelivery", DeviceFabric.Persistence.GrainStorage.Name)] IPersistentState<RouteDeliveryState> state,
    ITelemetryLog log,
    RouteSenders senders,
    TelemetryInstruments instruments,
    GrainClock clock,
    ILogger<RouteDeliveryGrain> logger) : Grain, IRouteDeliveryGrain, IRemindable
{
    private const int BatchSize = 256;
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(50);

    private string _hub = string.Empty;
    private string _endpoint = string.Empty;
    private int _partition;
    private RoutingSettings _settings = RoutingSettings.Empty;
    private RoutingSettings? _compiledFrom;
    private List<(RoutingRoute Route, QueryExpression? Condition)> _compiled = [];
    private IGrainTimer? _timer;
    private DateTimeOffset _backlogMeasured;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString().Split('/');
        (_hub, _endpoint, _partition) = (key[0], key[1], int.Parse(key[2], System.Globalization.CultureInfo.InvariantCulture));
        if (state.State.Running)
        {
            // Back after a restart or a lost silo: the hub's settings say what to deliver.
            _settings = await GrainFactory.GetGrain<IRoutingGrain>(_hub).GetAsync(cancellationToken);
            Run();
        }
    }

    public async Task StartAsync(RoutingSettings settings)
    {
        _settings = settings;
        if (!state.State.Running)
        {
            state.State.Telemetry = (await log.ReadAsync(_hub, _partition, EventPosition.Latest, 1, TimeSpan.Zero)).Next;
            state.State.System = (await log.ReadAsync(SystemLog, _partition, EventPosition.Latest, 1, TimeSpan.Zero)).Next;
            state.State.TelemetryDelivered = (await log.GetPartitionAsync(_hub, _partition)).LastSequenceNumber;
            state.State.Running = true;
            await state.WriteStateAsync();
            await this.RegisterOrUpdateReminder("delivery", TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        }

        Run();
    }

    public async Task StopAsync()
    {
        _timer?.Dispose();
        _timer = null;
        instruments.Backlog(this.GetPrimaryKeyString(), _endpoint, null);
        if (await this.GetReminder("delivery") is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        await state.ClearStateAsync();
        DeactivateOnIdle();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    private string SystemLog => TelemetryLogNames.Of(_hub, TelemetryLogNames.SystemEvents);

    private void Run() => _timer ??= this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions(Period, Period) { KeepAlive = true });

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Device telemetry is in the built-in endpoint already: only custom endpoints deliver it.
            if (_endpoint != TelemetryLogNames.BuiltIn)
            {
                await DeliverAsync(telemetry: true, cancellationToken);
            }

            await DeliverAsync(telemetry: false, cancellationToken);
            await MeasureBacklogAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The checkpoint stays where the last delivered batch left it: the next tick tries again from there.
            LogDeliveryFailed(logger, ex, _hub, _endpoint, _partition);
        }
    }

    private async Task DeliverAsync(bool telemetry, CancellationToken cancellationToken)
    {
        var routes = Routes(telemetry);
        var from = telemetry ? state.State.Telemetry : state.State.System;
        var read = await log.ReadAsync(telemetry ? _hub : SystemLog, _partition, from, BatchSize, TimeSpan.Zero, cancellationToken);
        if (read.Events.Count == 0)
        {
            return;
        }

        if (routes.Count > 0)
        {
            var twins = new Dictionary<string, JsonObject?>(StringComparer.Ordinal);
            foreach (var item in read.Events)
            {
                var kind = RoutingSources.Of(item.Message);
                var twin = NeedsTwin(routes) ? await TwinAsync(item.Message.DeviceId, twins) : null;
                var document = RoutingDocument.Compose(item.Message, twin);
                if (routes.Any(r => r.Route.Source == kind && (r.Condition is null || r.Condition.IsTrue(document))))
                {
                    await senders.SendAsync(_hub, Endpoint(), item with { Message = RoutingEnrichments.Apply(item.Message, _settings, _endpoint, _hub, twin) }, cancellationToken);
                }
            }
        }

        if (telemetry)
        {
            state.State.Telemetry = read.Next;
            state.State.TelemetryDelivered = read.Events[^1].SequenceNumber;
        }
        else
        {
            state.State.System = read.Next;
        }

        await state.WriteStateAsync(cancellationToken);
    }

    /// <summary>This endpoint's enabled routes of telemetry or of the other sources, parsed once per settings they came with.</summary>
    private List<(RoutingRoute Route, QueryExpression? Condition)> Routes(bool telemetry)
    {
        if (!ReferenceEquals(_compiledFrom, _settings))
        {
            _compiled = [.. _settings.Routes.Where(r => r.IsEnabled && r.EndpointNames.Contains(_endpoint)).Select(r => (r, RoutingRules.Compile(r.Condition)))];
            _compiledFrom = _settings;
        }

        return [.. _compiled.Where(r => (r.Route.Source == RoutingSource.DeviceMessages) == telemetry)];
    }

    private bool NeedsTwin(List<(RoutingRoute Route, QueryExpression? Condition)> routes) =>
        routes.Any(r => RoutingDocument.NeedsTwin(r.Route.Condition))
        || _settings.Enrichments.Any(e => e.EndpointNames.Contains(_endpoint) && RoutingDocument.NeedsTwin(e.Value));

    private RoutingEndpoint Endpoint() =>
        _settings.Endpoints.FirstOrDefault(e => e.Name == _endpoint) ?? new RoutingEndpoint(TelemetryLogNames.BuiltIn, RoutingEndpointKind.Log);

    private Task<JsonObject?> TwinAsync(string deviceId, Dictionary<string, JsonObject?> twins) => RoutingTwins.GetAsync(GrainFactory, _hub, deviceId, twins);

    private async Task MeasureBacklogAsync(CancellationToken cancellationToken)
    {
        var now = clock.Time.GetUtcNow();
        if (now - _backlogMeasured < TimeSpan.FromSeconds(1))
        {
            return;
        }

        _backlogMeasured = now;
        var info = await log.GetPartitionAsync(_hub, _partition, cancellationToken);
        var behind = _endpoint == TelemetryLogNames.BuiltIn || Routes(telemetry: true).Count == 0 ? 0 : info.LastSequenceNumber - state.State.TelemetryDelivered;
        instruments.Backlog(this.GetPrimaryKeyString(), _endpoint, Math.Max(0, behind));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Routing to endpoint {Endpoint} of {Hub} from partition {Partition} failed; retrying from its checkpoint")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception, string hub, string endpoint, int partition);
}

/// <summary>What an endpoint's delivery from one partition stores: where it is in each log.</summary>
[GenerateSerializer, Alias("devicefabric.RouteDeliveryState")]
public sealed class RouteDeliveryState
{
    /// <summary>Whether it delivers (its endpoint exists).</summary>
    [Id(0)] public bool Running { get; set; }

    /// <summary>Where it goes on in the built-in log.</summary>
    [Id(1)] public EventPosition Telemetry { get; set; }

    /// <summary>Where it goes on in the system-events log.</summary>
    [Id(2)] public EventPosition System { get; set; }

    /// <summary>The sequence number of the last telemetry message it went past, for its backlog.</summary>
    [Id(3)] public long TelemetryDelivered { get; set; }
}
