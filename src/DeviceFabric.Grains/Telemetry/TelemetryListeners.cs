using DeviceFabric.Alerts;
using DeviceFabric.DigitalTwins;
using DeviceFabric.Streams;
using Orleans.Streams;
using Orleans.Streams.PubSub;

namespace DeviceFabric.Telemetry;

/// <summary>
/// Whether anything would hear a telemetry partition's live stream: an explicit subscription (the SDK's live view),
/// an enabled telemetry alert rule of the hub, or a digital twin binding (a rule or a bound device). The alert and
/// twin grains subscribe implicitly, so Orleans' pub-sub lists them always; their hub's settings say whether they
/// would do anything with a batch.
/// </summary>
internal sealed class TelemetryListeners(IGrainFactory grains, IStreamProvider provider, string hub, StreamId stream)
{
    private readonly GrainType[] _implicit =
    [
        grains.GetGrain<ITelemetryAlertGrain>(hub).GetGrainId().Type,
        grains.GetGrain<IDigitalTwinBinderGrain>(hub).GetGrainId().Type,
    ];

    private DigitalTwinBindings _bindings = new(-1, [], new Dictionary<string, string>());

    public async Task<bool> AnyAsync(CancellationToken cancellationToken)
    {
        if (provider.TryGetStreamSubscriptionManager(out var manager)
            && (await manager.GetSubscriptions(FabricStreams.ProviderName, stream)).Any(s => !_implicit.Contains(s.GrainId.Type)))
        {
            return true;
        }

        var rules = await grains.GetGrain<IAlertRulesGrain>(hub).GetAsync(cancellationToken);
        if (rules.Rules.Any(rule => rule.Enabled && rule.Source == AlertSource.Telemetry))
        {
            return true;
        }

        var read = await grains.GetGrain<IDigitalTwinBindingsGrain>(hub).GetBindingsAsync(_bindings.Version, cancellationToken);
        if (read.Rules is not null)
        {
            _bindings = read;
        }

        return _bindings.Rules!.Count > 0 || _bindings.Devices!.Count > 0;
    }
}
