namespace DeviceFabric.Security;

/// <summary>
/// The head of a hub's audit history: the newest events (fewer than a segment) and which segments hold the older ones.
/// Segment n holds sequences n*<see cref="SecurityAuditGrain.SegmentSize"/>+1 onwards, so a sequence's segment is known.
/// </summary>
[GenerateSerializer, Alias("devicefabric.SecurityAuditState")]
public sealed class SecurityAuditState
{
    [Id(0)] public long LastSequence { get; set; }

    [Id(1)] public List<SecurityAuditEvent> Newest { get; set; } = [];

    [Id(2)] public long FirstSegment { get; set; }
}

/// <summary>One full segment of a hub's audit history, written once.</summary>
[GenerateSerializer, Alias("devicefabric.SecurityAuditSegmentState")]
public sealed class SecurityAuditSegmentState
{
    [Id(0)] public List<SecurityAuditEvent> Events { get; set; } = [];
}
