namespace DeviceFabric.Security;

/// <summary>
/// A hub's security audit history: every key, policy, certificate and revocation change, kept (the newest
/// <see cref="MaxEvents"/>) and published to the hub's security stream. Key: the hub name.
/// </summary>
[Alias("devicefabric.ISecurityAuditGrain")]
public interface ISecurityAuditGrain : IGrainWithStringKey
{
    /// <summary>How many events a hub keeps; older ones are dropped first.</summary>
    public const int MaxEvents = 10_000;

    /// <summary>Stores an event (giving it the next sequence number and the time) and publishes it; returns it as stored.</summary>
    Task<SecurityAuditEvent> RecordAsync(SecurityAuditKind kind, string subject, string detail, string actor, CancellationToken cancellationToken = default);

    /// <summary>The events matching <paramref name="filter"/>, oldest first.</summary>
    Task<IReadOnlyList<SecurityAuditEvent>> ListAsync(SecurityAuditFilter filter, CancellationToken cancellationToken = default);
}
