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

    /// <summary>The newest events (fewer than a segment), oldest first.</summary>
    [Id(1)] public List<AlertEvent> Events { get; set; } = [];

    /// <summary>The oldest segment still kept; segment n holds sequences n*size+1 onwards.</summary>
    [Id(2)] public long FirstSegment { get; set; }
}

/// <summary>One full segment of a hub's alert history, written once.</summary>
[GenerateSerializer, Alias("devicefabric.AlertHistorySegmentState")]
public sealed class AlertHistorySegmentState
{
    /// <summary>The segment's events, oldest first.</summary>
    [Id(0)] public List<AlertEvent> Events { get; set; } = [];
}
