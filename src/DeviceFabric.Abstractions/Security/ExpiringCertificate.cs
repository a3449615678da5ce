namespace DeviceFabric.Security;

/// <summary>A certificate the fabric knows that expires before a given time.</summary>
/// <param name="Kind"><c>server</c>, <c>certificateAuthority</c> or <c>device</c>.</param>
/// <param name="Name">The CA's name, the device id, or the server certificate's subject.</param>
/// <param name="Thumbprint">Upper-case hex SHA-1 thumbprint.</param>
/// <param name="NotAfter">When it expires.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.ExpiringCertificate")]
public sealed record ExpiringCertificate(
    [property: Id(0)] string Kind,
    [property: Id(1)] string Name,
    [property: Id(2)] string Thumbprint,
    [property: Id(3)] DateTimeOffset NotAfter);
