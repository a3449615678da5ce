namespace DeviceFabric.Security;

/// <summary>
/// A change to a key, policy, certificate or revocation (or a certificate about to expire): what changed, by whom and
/// when. Never carries a secret. Kept in the hub's audit history and published to the SDK's security stream.
/// </summary>
/// <param name="Hub">The hub.</param>
/// <param name="Sequence">Its position in the hub's history, from 1.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Subject">What it happened to: a device id, a policy, certificate or enrollment name, or a thumbprint.</param>
/// <param name="Detail">What changed, in words (which key, which rights...).</param>
/// <param name="Actor">Who did it: the policy of the REST caller, <c>grain-client</c>, or <c>fabric</c> for the fabric's own events.</param>
/// <param name="Time">When.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.SecurityAuditEvent")]
public sealed record SecurityAuditEvent(
    [property: Id(0)] string Hub,
    [property: Id(1)] long Sequence,
    [property: Id(2)] SecurityAuditKind Kind,
    [property: Id(3)] string Subject,
    [property: Id(4)] string Detail,
    [property: Id(5)] string Actor,
    [property: Id(6)] DateTimeOffset Time);
