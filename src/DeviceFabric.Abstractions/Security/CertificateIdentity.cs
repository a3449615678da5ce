using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DeviceFabric.Security;

/// <summary>The public names of one certificate: its thumbprints, serial number, subject and validity.</summary>
/// <param name="Sha1Thumbprint">Upper-case hex SHA-1 thumbprint (IoT Hub's historical form).</param>
/// <param name="Sha256Thumbprint">Upper-case hex SHA-256 thumbprint.</param>
/// <param name="SerialNumber">Upper-case hex serial number.</param>
/// <param name="Subject">The distinguished name of the subject.</param>
/// <param name="NotAfter">When it expires.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.CertificateIdentity")]
public sealed record CertificateIdentity(
    [property: Id(0)] string Sha1Thumbprint,
    [property: Id(1)] string Sha256Thumbprint,
    [property: Id(2)] string SerialNumber,
    [property: Id(3)] string Subject,
    [property: Id(4)] DateTimeOffset NotAfter)
{
    /// <summary>The identity of <paramref name="certificate"/>.</summary>
    public static CertificateIdentity Of(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new CertificateIdentity(
            certificate.Thumbprint.ToUpperInvariant(),
            certificate.GetCertHashString(HashAlgorithmName.SHA256).ToUpperInvariant(),
            certificate.SerialNumber.ToUpperInvariant(),
            certificate.Subject,
            new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero));
    }

    /// <summary>Whether <paramref name="thumbprint"/> (SHA-1 or SHA-256 hex, any case) is this certificate's.</summary>
    public bool HasThumbprint(string thumbprint) =>
        string.Equals(thumbprint, Sha1Thumbprint, StringComparison.OrdinalIgnoreCase)
        || string.Equals(thumbprint, Sha256Thumbprint, StringComparison.OrdinalIgnoreCase);
}
