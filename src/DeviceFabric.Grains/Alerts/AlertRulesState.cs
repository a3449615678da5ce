namespace DeviceFabric.Alerts;

/// <summary>What a hub's alert rules grain stores.</summary>
[GenerateSerializer, Alias("devicefabric.AlertRulesState")]
public sealed class AlertRulesState
{
    /// <summary>Grows with every change.</summary>
    [Id(0)] public long Version { get; set; }

    /// <summary>The rules, in id order.</summary>
    [Id(1)] public List<AlertRule> Rules { get; set; } = [];
}

/// <summary>What a hub's alert history grain stores.</summary>
[GenerateSerializer, Alias("devicefabric.AlertHistoryState")]
public sealed class AlertHistoryState
{
    /// <summary>The sequence number of the newest event.</summary>
    [Id(0)] public long LastSequence { get; set; }

    /// <summary>The newest events, oldest first.</summary>
    [Id(1)] public List<AlertEvent> Events { get; set; } = [];
}
