using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DeviceFabric.Hosting;
using DeviceFabric.Streams;
using DeviceFabric.Telemetry;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace DeviceFabric.Alerts;

/// <summary>
/// Evaluates a hub's telemetry rules on one telemetry partition (key: the partition's stream key, <c>{hub}/{n}</c>),
/// after the PUBACK: it reads the partition's stream as any backend does and keeps each device's rule state and window
/// in memory. Never in the device's publish path, and never a storage write per message: only firings and clearings
/// go to the history grain.
/// </summary>
[ImplicitStreamSubscription(FabricStreams.TelemetryNamespace)]
internal sealed partial class TelemetryAlertGrain(GrainClock clock, AlertInstruments instruments, ILogger<TelemetryAlertGrain> logger) : Grain, ITelemetryAlertGrain
{
    /// <summary>The largest body parsed as JSON for rules; bigger ones are seen without a body.</summary>
    private const int MaxParsedBody = 64 * 1024;

    private readonly AlertEngine _engine = new();
    private AlertRuleCache _rules = null!;
    private string _hub = string.Empty;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        _hub = key[..key.LastIndexOf('/')];
        _rules = new AlertRuleCache(GrainFactory, _hub, AlertSource.Telemetry, _engine, clock.Time);
        var partition = int.Parse(key[(key.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        foreach (var firing in await GrainFactory.GetGrain<IAlertHistoryGrain>(_hub).LastFiringsAsync(cancellationToken))
        {
            if (FabricStreams.TelemetryPartitionOf(firing.DeviceId) == partition)
            {
                _engine.Restore(firing.RuleId, firing.DeviceId, firing.Open, firing.FiredAt);
            }
        }

        var stream = this.GetStreamProvider(FabricStreams.ProviderName).GetStream<TelemetryBatch>(StreamId.Create(FabricStreams.TelemetryNamespace, key));
        await stream.SubscribeAsync((batch, _) => EvaluateAsync(batch));
    }

    private async Task EvaluateAsync(TelemetryBatch batch)
    {
        try
        {
            var rules = await _rules.RulesAsync();
            if (rules.Count == 0)
            {
                return;
            }

            var events = new List<AlertEvent>();
            var webhooks = new List<string?>();
            foreach (var message in batch.Messages)
            {
                JsonObject? document = null;
                foreach (var rule in rules)
                {
                    if (!_rules.Targets(rule, message.DeviceId))
                    {
                        continue;
                    }

                    document ??= Document(message);
                    instruments.Evaluated(AlertSource.Telemetry);
                    if (_engine.Evaluate(_hub, rule, message.DeviceId, document, message.EnqueuedTime) is { } fired)
                    {
                        events.Add(fired);
                        webhooks.Add(rule.Rule.WebhookUrl);
                    }
                }
            }

            await RecordAsync(events, webhooks);
        }
        catch (Exception ex)
        {
            // A failing evaluation must not stall the partition's stream for the other consumers.
            LogEvaluationFailed(logger, ex, this.GetPrimaryKeyString());
        }
    }

    /// <summary>Stores what fired and cleared; what could not be stored is taken back, so it fires again next time.</summary>
    private async Task RecordAsync(List<AlertEvent> events, List<string?> webhooks)
    {
        if (events.Count == 0)
        {
            return;
        }

        try
        {
            await GrainFactory.GetGrain<IAlertHistoryGrain>(_hub).RecordAsync(events, webhooks);
        }
        catch
        {
            events.ForEach(_engine.Undo);
            throw;
        }
    }

    /// <summary>The document a telemetry rule sees: the body (JSON when it is, else text), properties and system properties.</summary>
    private static JsonObject Document(TelemetryMessage message)
    {
        var document = new JsonObject { ["deviceId"] = message.DeviceId };
        if (message.Body.Length <= MaxParsedBody)
        {
            document["body"] = Body(message.Body);
        }

        document["properties"] = Map(message.Properties);
        document["systemProperties"] = Map(message.SystemProperties);
        return document;
    }

    /// <summary>A JSON body as JSON, anything else as text; only what starts like JSON is parsed (no exception per binary message).</summary>
    private static JsonNode? Body(byte[] body)
    {
        var start = body.AsSpan().TrimStart(" \t\r\n"u8);
        if (start.Length > 0 && start[0] is (byte)'{' or (byte)'[')
        {
            try
            {
                return JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 32 });
            }
            catch (JsonException)
            {
                // Not JSON after all: seen as text below.
            }
        }

        return Encoding.UTF8.GetString(body);
    }

    private static JsonObject Map(IReadOnlyDictionary<string, string> values)
    {
        var json = new JsonObject();
        foreach (var (name, value) in values)
        {
            json[name] = value;
        }

        return json;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert rules could not be evaluated for telemetry partition {Partition}")]
    private static partial void LogEvaluationFailed(ILogger logger, Exception exception, string partition);
}

/// <summary>The telemetry alert evaluator of one partition; it has no methods of its own: the stream drives it.</summary>
[Alias("devicefabric.ITelemetryAlertGrain")]
internal interface ITelemetryAlertGrain : IGrainWithStringKey;
