namespace DeviceFabric.Contracts.Alerts;

/// <summary>An alert rule as the REST API shows and takes it.</summary>
public sealed class AlertRuleJson
{
    /// <summary>The rule's id (the path's on a write).</summary>
    public string? Id { get; set; }

    /// <summary><c>telemetry</c> (default) or <c>twin</c>.</summary>
    public string? Source { get; set; }

    /// <summary>When it fires, in the query language: <c>body.temperature &gt; 30</c>, <c>window.avg &gt; 30</c>, <c>properties.reported.battery &lt; 10</c>.</summary>
    public string? Condition { get; set; }

    /// <summary><c>information</c>, <c>warning</c> (default), <c>error</c> or <c>critical</c>.</summary>
    public string? Severity { get; set; }

    /// <summary>Which devices it watches, a WHERE condition over their twins; none for all.</summary>
    public string? TargetCondition { get; set; }

    /// <summary>The window of a telemetry rule's <c>window.count|avg|min|max</c>.</summary>
    public AlertWindowJson? Window { get; set; }

    /// <summary>Anomaly detection on a telemetry field; the condition then defaults to <c>anomaly.detected = true</c>.</summary>
    public AlertAnomalyJson? Anomaly { get; set; }

    /// <summary>The least seconds between two firings for one device (default 0).</summary>
    public int? CooldownSeconds { get; set; }

    /// <summary>Where firings and clearings are POSTed too.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>Whether it is evaluated (default true).</summary>
    public bool? Enabled { get; set; }

    /// <summary>The etag, for If-Match.</summary>
    public string? Etag { get; set; }
}

/// <summary>A telemetry rule's window.</summary>
public sealed class AlertWindowJson
{
    /// <summary>The numeric field aggregated, e.g. <c>body.temperature</c>.</summary>
    public string? Field { get; set; }

    /// <summary>Over the last N seconds, or</summary>
    public int? Seconds { get; set; }

    /// <summary>over the last N messages.</summary>
    public int? Messages { get; set; }
}

/// <summary>A firing or clearing.</summary>
public sealed class AlertEventJson
{
    /// <summary>Its place in the hub's history.</summary>
    public long Sequence { get; set; }

    /// <summary>The rule.</summary>
    public string? RuleId { get; set; }

    /// <summary>The device.</summary>
    public string? DeviceId { get; set; }

    /// <summary><c>fired</c> or <c>cleared</c>.</summary>
    public string? Kind { get; set; }

    /// <summary>The rule's severity.</summary>
    public string? Severity { get; set; }

    /// <summary>What the condition saw (the message's body and window, or the reported properties).</summary>
    public System.Text.Json.Nodes.JsonNode? Value { get; set; }

    /// <summary>When.</summary>
    public DateTimeOffset Time { get; set; }
}

/// <summary>A telemetry rule's anomaly detection.</summary>
public sealed class AlertAnomalyJson
{
    /// <summary>The numeric field, e.g. <c>body.temperature</c>.</summary>
    public string? Field { get; set; }

    /// <summary><c>spikeAndDip</c> (default) or <c>changePoint</c>.</summary>
    public string? Kind { get; set; }

    /// <summary>In percent, 90 to 99.99 (default 99.9).</summary>
    public double? Confidence { get; set; }
}
