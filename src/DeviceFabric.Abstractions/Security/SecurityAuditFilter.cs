namespace DeviceFabric.Security;

/// <summary>Which audit events to list.</summary>
/// <param name="AfterSequence">Only events after this sequence number (0 for all).</param>
/// <param name="Kind">Only this kind, if set.</param>
/// <param name="Subject">Only this subject, if set.</param>
/// <param name="Since">Only events at or after this time, if set.</param>
/// <param name="Top">At most this many (1-1000).</param>
[GenerateSerializer, Immutable, Alias("devicefabric.SecurityAuditFilter")]
public sealed record SecurityAuditFilter(
    [property: Id(0)] long AfterSequence = 0,
    [property: Id(1)] SecurityAuditKind? Kind = null,
    [property: Id(2)] string? Subject = null,
    [property: Id(3)] DateTimeOffset? Since = null,
    [property: Id(4)] int Top = 100);
