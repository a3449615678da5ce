using System.Text.Json.Nodes;
using DeviceFabric.Query;

namespace DeviceFabric.Alerts;

/// <summary>
/// Evaluates rules for devices, keeping per rule and device what a rule needs in memory: whether it is firing, when it
/// last fired (for the cool-down), and its window's values (at most <see cref="AlertWindow.MaxMessages"/>). A firing is
/// the condition turning true, a clearing its turning false; nothing is stored here (the history grain stores events).
/// </summary>
internal sealed class AlertEngine
{
    /// <summary>The most rule-and-device states kept; past it, the longest idle half is dropped.</summary>
    public const int MaxStates = 200_000;

    /// <summary>A state idle this long is dropped at the next sweep (its device stopped sending, or left the target).</summary>
    private static readonly TimeSpan s_idle = TimeSpan.FromHours(1);

    private const int MaxValueLength = 4096;

    private readonly Dictionary<(string Rule, string Device), RuleState> _states = [];
    private long _evaluations;

    public AlertEvent? Evaluate(string hub, CompiledRule rule, string deviceId, JsonObject document, DateTimeOffset time)
    {
        var key = (rule.Rule.Id, deviceId);
        if (!_states.TryGetValue(key, out var state))
        {
            Sweep(time);
            state = new RuleState();
            _states[key] = state;
        }

        state.LastSeen = time;
        try
        {
            return Evaluate(hub, rule, deviceId, document, time, state);
        }
        finally
        {
            // One document serves every rule of a message: one rule's window or anomaly is not another's.
            document.Remove("window");
            document.Remove("anomaly");
        }
    }

    /// <summary>Seeds a device's state from the history (a firing not yet cleared, the last firing for the cool-down).</summary>
    public void Restore(string ruleId, string deviceId, bool firing, DateTimeOffset lastFired) =>
        _states[(ruleId, deviceId)] = new RuleState { Firing = firing, LastFired = lastFired, LastSeen = lastFired };

    /// <summary>Takes back a firing the history could not store, so the next evaluation tries again.</summary>
    public void Undo(AlertEvent alert)
    {
        if (_states.TryGetValue((alert.RuleId, alert.DeviceId), out var state))
        {
            state.Firing = alert.Kind == AlertEventKind.Cleared;
            if (alert.Kind == AlertEventKind.Fired)
            {
                state.LastFired = null;
            }
        }
    }

    private AlertEvent? Evaluate(string hub, CompiledRule rule, string deviceId, JsonObject document, DateTimeOffset time, RuleState state)
    {
        if (rule.Rule.Window is { } window)
        {
            document["window"] = state.Add(window, rule.WindowField!, document, time);
        }

        if (rule.Rule.Anomaly is { } anomaly)
        {
            document["anomaly"] = state.Detect(anomaly, rule.AnomalyField!, document);
        }

        var holds = rule.Condition.IsTrue(document);
        if (holds && !state.Firing && (state.LastFired is not { } last || time - last >= rule.Rule.Cooldown))
        {
            (state.Firing, state.LastFired) = (true, time);
            return Event(hub, rule.Rule, deviceId, AlertEventKind.Fired, document, time);
        }

        if (!holds && state.Firing)
        {
            state.Firing = false;
            return Event(hub, rule.Rule, deviceId, AlertEventKind.Cleared, document, time);
        }

        return null;
    }

    /// <summary>Drops idle states now and then, and the longest idle half when there are too many.</summary>
    private void Sweep(DateTimeOffset now)
    {
        if (++_evaluations % 10_000 != 0 && _states.Count < MaxStates)
        {
            return;
        }

        var idle = _states.Where(s => now - s.Value.LastSeen > s_idle).Select(s => s.Key).ToList();
        if (_states.Count - idle.Count >= MaxStates)
        {
            idle = _states.OrderBy(s => s.Value.LastSeen).Take(_states.Count / 2).Select(s => s.Key).ToList();
        }

        foreach (var key in idle)
        {
            _states.Remove(key);
        }
    }

    /// <summary>Drops the state of rules no longer there (or changed), so their devices start afresh.</summary>
    public void Forget(Func<string, bool> ruleGone)
    {
        foreach (var key in _states.Keys.Where(k => ruleGone(k.Rule)).ToList())
        {
            _states.Remove(key);
        }
    }

    private static AlertEvent Event(string hub, AlertRule rule, string deviceId, AlertEventKind kind, JsonObject document, DateTimeOffset time)
    {
        var value = new JsonObject();
        foreach (var name in new[] { "body", "window", "anomaly", "properties" })
        {
            if (document[name] is { } node)
            {
                value[name] = node.DeepClone();
            }
        }

        var json = value.ToJsonString();
        if (json.Length > MaxValueLength)
        {
            // Too big to keep: what the condition saw is summarised, still as JSON.
            json = new JsonObject { ["truncated"] = true, ["length"] = json.Length }.ToJsonString();
        }

        return new AlertEvent(hub, 0, rule.Id, deviceId, kind, rule.Severity, json, time);
    }

    private sealed class RuleState
    {
        private readonly Queue<(DateTimeOffset Time, double Value)> _window = new();

        private AnomalyDetector? _detector;

        public bool Firing { get; set; }

        public DateTimeOffset LastSeen { get; set; }

        /// <summary>Scores the message's value (when the field is a number) with this device's detector.</summary>
        public JsonObject Detect(AlertAnomaly anomaly, IReadOnlyList<string> field, JsonObject document)
        {
            if (QueryValues.Resolve(document, field) is not JsonValue value || !value.TryGetValue<double>(out var number) || !double.IsFinite(number))
            {
                return new JsonObject { ["detected"] = false };
            }

            _detector ??= new AnomalyDetector(anomaly.Kind, anomaly.Confidence);
            var result = _detector.Add(number);
            return new JsonObject { ["detected"] = result.Detected, ["score"] = Math.Round(result.Score, 3), ["expected"] = Math.Round(result.Expected, 6) };
        }

        public DateTimeOffset? LastFired { get; set; }

        /// <summary>Adds the message's value (when the field is a number) and answers the window's aggregates.</summary>
        public JsonObject Add(AlertWindow window, IReadOnlyList<string> field, JsonObject document, DateTimeOffset time)
        {
            if (QueryValues.Resolve(document, field) is JsonValue value && value.TryGetValue<double>(out var number) && double.IsFinite(number))
            {
                _window.Enqueue((time, number));
            }

            while (_window.Count > (window.Messages ?? AlertWindow.MaxMessages)
                || (window.Seconds is { } seconds && _window.Count > 0 && time - _window.Peek().Time > TimeSpan.FromSeconds(seconds)))
            {
                _window.Dequeue();
            }

            var aggregates = new JsonObject { ["count"] = _window.Count };
            if (_window.Count > 0)
            {
                aggregates["avg"] = _window.Average(v => v.Value);
                aggregates["min"] = _window.Min(v => v.Value);
                aggregates["max"] = _window.Max(v => v.Value);
            }

            return aggregates;
        }
    }
}

/// <summary>A rule with its conditions parsed once.</summary>
internal sealed record CompiledRule(AlertRule Rule, QueryExpression Condition, QueryExpression? Target, IReadOnlyList<string>? WindowField, IReadOnlyList<string>? AnomalyField)
{
    /// <summary>The condition of an anomaly rule that gives none.</summary>
    public const string AnomalyCondition = "anomaly.detected = true";

    public static CompiledRule Of(AlertRule rule) => new(
        rule,
        QueryParser.ParseCondition(string.IsNullOrWhiteSpace(rule.Condition) && rule.Anomaly is not null ? AnomalyCondition : rule.Condition)!,
        QueryParser.ParseCondition(rule.TargetCondition),
        rule.Window is { } window ? window.Field.Split('.') : null,
        rule.Anomaly is { } anomaly ? anomaly.Field.Split('.') : null);
}
