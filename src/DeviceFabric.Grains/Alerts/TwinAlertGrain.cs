using System.Text.Json.Nodes;
using DeviceFabric.Hosting;
using DeviceFabric.Streams;
using DeviceFabric.Twins;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace DeviceFabric.Alerts;

/// <summary>
/// Evaluates a hub's twin rules (key: the hub) on its twin change stream: each reported patch is merged into what this
/// grain knows of the device's reported properties (kept only for devices a twin rule targets), and the rules are
/// evaluated over the result, so a patch that does not mention a property leaves a rule on it as it was.
/// </summary>
[ImplicitStreamSubscription(FabricStreams.TwinChangesNamespace)]
internal sealed partial class TwinAlertGrain(GrainClock clock, AlertInstruments instruments, ILogger<TwinAlertGrain> logger) : Grain, ITwinAlertGrain
{
    /// <summary>The most devices whose reported properties are kept; past it, the oldest known are forgotten first.</summary>
    private const int MaxDevices = 20_000;

    /// <summary>A device whose reported properties grow past this is not cached (its twin rules see only the patch).</summary>
    private const int MaxReportedLength = 16 * 1024;

    private readonly AlertEngine _engine = new();
    private readonly Dictionary<string, JsonObject> _reported = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private AlertRuleCache _rules = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var hub = this.GetPrimaryKeyString();
        _rules = new AlertRuleCache(GrainFactory, hub, AlertSource.Twin, _engine, clock.Time);
        foreach (var firing in await GrainFactory.GetGrain<IAlertHistoryGrain>(hub).LastFiringsAsync(cancellationToken))
        {
            _engine.Restore(firing.RuleId, firing.DeviceId, firing.Open, firing.FiredAt);
        }

        var stream = this.GetStreamProvider(FabricStreams.ProviderName).GetStream<TwinChangeEvent>(StreamId.Create(FabricStreams.TwinChangesNamespace, hub));
        await stream.SubscribeAsync((change, _) => EvaluateAsync(change));
    }

    private async Task EvaluateAsync(TwinChangeEvent change)
    {
        try
        {
            // Twin rules watch device twins: a module's reported properties are its own, not its device's.
            if (change.Kind != TwinChangeKind.ReportedUpdated || change.ModuleId is not null)
            {
                return;
            }

            var rules = (await _rules.RulesAsync()).Where(r => _rules.Targets(r, change.DeviceId)).ToList();
            if (rules.Count == 0 || JsonNode.Parse(change.Patch)?["properties"]?["reported"] is not JsonObject patch)
            {
                return;
            }

            var reported = Remember(change.DeviceId);
            Merge(reported, patch);
            if (reported.ToJsonString().Length > MaxReportedLength)
            {
                _reported.Remove(change.DeviceId);
                reported = (JsonObject)patch.DeepClone();
            }
            var document = new JsonObject { ["deviceId"] = change.DeviceId, ["properties"] = new JsonObject { ["reported"] = reported.DeepClone() } };
            var events = new List<AlertEvent>();
            var webhooks = new List<string?>();
            foreach (var rule in rules)
            {
                instruments.Evaluated(AlertSource.Twin);
                if (_engine.Evaluate(change.Hub, rule, change.DeviceId, document, change.Time) is { } fired)
                {
                    events.Add(fired);
                    webhooks.Add(rule.Rule.WebhookUrl);
                }
            }

            if (events.Count > 0)
            {
                try
                {
                    await GrainFactory.GetGrain<IAlertHistoryGrain>(change.Hub).RecordAsync(events, webhooks);
                }
                catch
                {
                    events.ForEach(_engine.Undo);
                    throw;
                }
            }
        }
        catch (Exception ex)
        {
            LogEvaluationFailed(logger, ex, change.Hub, change.DeviceId);
        }
    }

    private JsonObject Remember(string deviceId)
    {
        if (_reported.TryGetValue(deviceId, out var known))
        {
            return known;
        }

        if (_reported.Count >= MaxDevices && _order.TryDequeue(out var oldest))
        {
            _reported.Remove(oldest);
        }

        known = [];
        _reported[deviceId] = known;
        _order.Enqueue(deviceId);
        return known;
    }

    /// <summary>A reported patch's merge: objects merge, null removes, anything else replaces.</summary>
    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch)
        {
            if (name.StartsWith('$'))
            {
                continue;
            }

            if (value is null)
            {
                target.Remove(name);
            }
            else if (value is JsonObject inner && target[name] is JsonObject existing)
            {
                Merge(existing, inner);
            }
            else
            {
                target[name] = value.DeepClone();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Twin alert rules could not be evaluated for {Hub}/{DeviceId}")]
    private static partial void LogEvaluationFailed(ILogger logger, Exception exception, string hub, string deviceId);
}

/// <summary>The twin alert evaluator of one hub; the stream drives it.</summary>
[Alias("devicefabric.ITwinAlertGrain")]
internal interface ITwinAlertGrain : IGrainWithStringKey;
