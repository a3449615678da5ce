using DeviceFabric.Devices;
using DeviceFabric.Persistence;
using DeviceFabric.Query;

namespace DeviceFabric.Alerts;

/// <summary>
/// A hub's alert rules: checked whole (each refusal names its field), stored, versioned for the evaluators. Readers
/// get the set as last stored, so a read may run while a write is under way (the telemetry fan-outs read it while
/// this grain tells them of a new telemetry rule).
/// </summary>
internal sealed class AlertRulesGrain(
    [PersistentState("alertrules", GrainStorage.Name)] IPersistentState<AlertRulesState> state,
    Microsoft.Extensions.Logging.ILogger<AlertRulesGrain> logger) : Grain, IAlertRulesGrain
{
    private static readonly TimeSpan s_longestCooldown = TimeSpan.FromDays(1);

    private AlertRuleSet _published = new(0, []);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _published = new AlertRuleSet(state.State.Version, state.State.Rules);
        return Task.CompletedTask;
    }

    public async Task<AlertRule> PutAsync(AlertRule rule, string? ifMatch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        Check(rule);
        var rules = state.State.Rules;
        var current = rules.FirstOrDefault(r => r.Id == rule.Id);
        if (current is not null && !ETags.Matches(ifMatch, current.ETag!))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.PreconditionFailed, $"Precondition failed: the etag given for alert rule {rule.Id} is not its current one.");
        }

        if (current is null && rules.Count >= IAlertRulesGrain.MaxRules)
        {
            throw Invalid($"A hub has at most {IAlertRulesGrain.MaxRules} alert rules.");
        }

        // A rule read, changed and written back carries its webhook masked: it keeps the URL it had.
        var webhook = current?.WebhookUrl is { } kept && rule.WebhookUrl is { } given && given.EndsWith("?...", StringComparison.Ordinal)
            && Contracts.Alerts.AlertMapper.MaskWebhook(kept) == given ? kept : rule.WebhookUrl;
        var stored = rule with { WebhookUrl = webhook, ETag = ETags.FromVersion(state.State.Version + 1) };
        await SaveAsync([.. rules.Where(r => r.Id != rule.Id), stored], cancellationToken);
        return stored;
    }

    public async Task DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!state.State.Rules.Any(r => r.Id == id))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.AlertRuleNotFound, $"The hub has no alert rule {id}.");
        }

        await SaveAsync([.. state.State.Rules.Where(r => r.Id != id)], cancellationToken);
    }

    public Task<AlertRuleSet> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult(_published);

    private async Task SaveAsync(List<AlertRule> rules, CancellationToken cancellationToken)
    {
        var (keptRules, keptVersion) = (state.State.Rules, state.State.Version);
        state.State.Rules = [.. rules.OrderBy(r => r.Id, StringComparer.Ordinal)];
        state.State.Version++;
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch
        {
            (state.State.Rules, state.State.Version) = (keptRules, keptVersion);
            throw;
        }

        _published = new AlertRuleSet(state.State.Version, state.State.Rules);
        if (ListensToTelemetry(state.State.Rules) && !ListensToTelemetry(keptRules))
        {
            // Telemetry reaches the evaluators only while something listens; from now on, this rule does. Later
            // rules need no telling: the fan-outs already hand over for the first.
            await Telemetry.ListenerNotice.TellAsync(GrainFactory, this.GetPrimaryKeyString(), logger);
        }
    }

    private static bool ListensToTelemetry(List<AlertRule> rules) => rules.Exists(rule => rule.Enabled && rule.Source == AlertSource.Telemetry);

    /// <summary>Refuses a rule that could not be evaluated, naming the field.</summary>
    private static void Check(AlertRule rule)
    {
        if (!Security.ResourceNames.IsValid(rule.Id))
        {
            throw Invalid("id must be 1-64 letters, digits, '-', '_' or '.'.");
        }

        if (!Enum.IsDefined(rule.Source) || !Enum.IsDefined(rule.Severity))
        {
            throw Invalid("source must be telemetry or twin, severity information, warning, error or critical.");
        }

        Parse(rule.Condition, "condition", required: rule.Anomaly is null);
        if (rule.Anomaly is { } anomaly)
        {
            if (rule.Source != AlertSource.Telemetry)
            {
                throw Invalid("anomaly: only telemetry rules detect anomalies.");
            }

            if (string.IsNullOrWhiteSpace(anomaly.Field) || anomaly.Field.Length > 256 || !Enum.IsDefined(anomaly.Kind))
            {
                throw Invalid("anomaly needs a field (e.g. body.temperature) and a kind (spikeAndDip or changePoint).");
            }

            if (anomaly.Confidence is < 90 or > 99.99 || double.IsNaN(anomaly.Confidence))
            {
                throw Invalid("anomaly.confidence must be between 90 and 99.99 (percent).");
            }
        }
        Parse(rule.TargetCondition, "targetCondition", required: false);
        if (rule.Window is { } window)
        {
            if (rule.Source != AlertSource.Telemetry)
            {
                throw Invalid("window: only telemetry rules have a window.");
            }

            if (string.IsNullOrWhiteSpace(window.Field) || window.Field.Length > 256)
            {
                throw Invalid("window.field must name the numeric field to aggregate, e.g. body.temperature.");
            }

            if ((window.Seconds is null) == (window.Messages is null)
                || window.Seconds is < 1 or > AlertWindow.MaxSeconds || window.Messages is < 1 or > AlertWindow.MaxMessages)
            {
                throw Invalid($"window takes exactly one of seconds (1-{AlertWindow.MaxSeconds}) and messages (1-{AlertWindow.MaxMessages}).");
            }
        }

        if (rule.Cooldown < TimeSpan.Zero || rule.Cooldown > s_longestCooldown)
        {
            throw Invalid("cooldownSeconds must be between 0 and 86400.");
        }

        if (rule.WebhookUrl is not null
            && !(Uri.TryCreate(rule.WebhookUrl, UriKind.Absolute, out var url) && url.Scheme is "https" or "http"))
        {
            throw Invalid("webhookUrl must be an absolute http(s) URL.");
        }
    }

    private static void Parse(string? condition, string field, bool required)
    {
        if (string.IsNullOrWhiteSpace(condition))
        {
            if (required)
            {
                throw Invalid($"{field} is required.");
            }

            return;
        }

        if (condition.Length > 4096)
        {
            throw Invalid($"{field} is longer than 4096 characters.");
        }

        try
        {
            QueryParser.ParseCondition(condition);
        }
        catch (DeviceFabricException ex)
        {
            throw Invalid($"{field}: {ex.Message}");
        }
    }

    private static DeviceFabricException Invalid(string message) => new(DeviceFabricErrorCode.ArgumentInvalid, message);
}
