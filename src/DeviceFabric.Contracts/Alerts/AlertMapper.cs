using System.Text.Json.Nodes;
using DeviceFabric.Alerts;

namespace DeviceFabric.Contracts.Alerts;

/// <summary>Maps alert rules and events between the fabric's records and their REST shapes.</summary>
public static class AlertMapper
{
    /// <summary>The rule a body describes for <paramref name="id"/>; throws <see cref="DeviceFabricErrorCode.ArgumentInvalid"/>.</summary>
    public static AlertRule FromJson(AlertRuleJson json, string id)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Id is not null && json.Id != id)
        {
            throw Invalid("The id in the body differs from the one in the path.");
        }

        return new AlertRule(
            id,
            Parse(json.Source, AlertSource.Telemetry, "source"),
            json.Condition ?? string.Empty,
            Parse(json.Severity, AlertSeverity.Warning, "severity"),
            string.IsNullOrWhiteSpace(json.TargetCondition) ? null : json.TargetCondition,
            json.Window is { } window ? new AlertWindow(window.Field ?? string.Empty, window.Seconds, window.Messages) : null,
            TimeSpan.FromSeconds(json.CooldownSeconds ?? 0),
            string.IsNullOrWhiteSpace(json.WebhookUrl) ? null : json.WebhookUrl,
            json.Enabled ?? true,
            Anomaly: json.Anomaly is { } anomaly
                ? new AlertAnomaly(anomaly.Field ?? string.Empty, Parse(anomaly.Kind, AnomalyKind.SpikeAndDip, "anomaly.kind"), anomaly.Confidence ?? 99.9)
                : null);
    }

    /// <summary>A rule's REST shape.</summary>
    public static AlertRuleJson ToJson(AlertRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return new AlertRuleJson
        {
            Id = rule.Id,
            Source = Name(rule.Source),
            Condition = rule.Condition,
            Severity = Name(rule.Severity),
            TargetCondition = rule.TargetCondition,
            Window = rule.Window is { } w ? new AlertWindowJson { Field = w.Field, Seconds = w.Seconds, Messages = w.Messages } : null,
            CooldownSeconds = (int)rule.Cooldown.TotalSeconds,
            WebhookUrl = MaskWebhook(rule.WebhookUrl),
            Enabled = rule.Enabled,
            Etag = rule.ETag,
            Anomaly = rule.Anomaly is { } a ? new AlertAnomalyJson { Field = a.Field, Kind = a.Kind == AnomalyKind.SpikeAndDip ? "spikeAndDip" : "changePoint", Confidence = a.Confidence } : null,
        };
    }

    /// <summary>An event's REST shape.</summary>
    public static AlertEventJson ToJson(AlertEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new AlertEventJson
        {
            Sequence = e.Sequence,
            RuleId = e.RuleId,
            DeviceId = e.DeviceId,
            Kind = e.Kind == AlertEventKind.Fired ? "fired" : "cleared",
            Severity = Name(e.Severity),
            Value = JsonNode.Parse(e.Value),
            Time = e.Time,
        };
    }

    /// <summary>A webhook URL as readers see it: its query (where receivers put their keys) replaced by <c>?...</c>.</summary>
    public static string? MaskWebhook(string? url) =>
        url is not null && url.IndexOf('?', StringComparison.Ordinal) is var query and >= 0 ? url[..query] + "?..." : url;

    private static string Name<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static T Parse<T>(string? text, T fallback, string field)
        where T : struct, Enum =>
        text is null ? fallback
        : Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) && !int.TryParse(text, out _) ? value
        : throw Invalid($"{field}: '{text}' is not one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}.");

    private static DeviceFabricException Invalid(string message) => new(DeviceFabricErrorCode.ArgumentInvalid, message);
}
