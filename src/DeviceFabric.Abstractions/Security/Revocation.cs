namespace DeviceFabric.Security;

/// <summary>
/// One entry of a hub's revocation list: a certificate named by thumbprint (SHA-1 or SHA-256) or by serial number.
/// A revoked CA or intermediate refuses every certificate beneath it.
/// </summary>
/// <param name="Thumbprint">Upper-case hex thumbprint, or null when the entry names a serial number.</param>
/// <param name="SerialNumber">Upper-case hex serial number, or null when the entry names a thumbprint.</param>
/// <param name="Reason">Why it was revoked (free text, as the operator gave it).</param>
/// <param name="RevokedAt">When it was revoked.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.Revocation")]
public sealed record Revocation(
    [property: Id(0)] string? Thumbprint,
    [property: Id(1)] string? SerialNumber,
    [property: Id(2)] string Reason,
    [property: Id(3)] DateTimeOffset RevokedAt)
{
    /// <summary>The longest reason accepted.</summary>
    public const int MaxReasonLength = 256;

    /// <summary>The key the entry is listed and removed by: its thumbprint or <c>serial:{number}</c>.</summary>
    public string Key => Thumbprint ?? "serial:" + SerialNumber;

    /// <summary>Whether the entry names <paramref name="certificate"/>.</summary>
    public bool Names(CertificateIdentity certificate) =>
        Thumbprint is not null
            ? certificate.HasThumbprint(Thumbprint)
            : string.Equals(CertificateNames.NormalizeSerial(SerialNumber!), CertificateNames.NormalizeSerial(certificate.SerialNumber), StringComparison.Ordinal);
}
