namespace DeviceFabric.Security;

/// <summary>
/// What a hub trusts and distrusts at one moment: the DER of its verified certificate authorities and its revocation
/// list. Device grains check client certificates against it at every connect.
/// </summary>
/// <param name="Version">Grows with every change, so a holder can tell a newer snapshot.</param>
/// <param name="Authorities">Verified CA certificates (DER) that device chains may end at.</param>
/// <param name="Revocations">Certificates refused whatever their chain.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.CertificateTrust")]
public sealed record CertificateTrust(
    [property: Id(0)] long Version,
    [property: Id(1)] IReadOnlyList<TrustedAuthority> Authorities,
    [property: Id(2)] IReadOnlyList<Revocation> Revocations)
{
    /// <summary>The revocation that names <paramref name="certificate"/>, if any.</summary>
    public Revocation? RevocationOf(CertificateIdentity certificate) => Revocations.FirstOrDefault(r => r.Names(certificate));
}
