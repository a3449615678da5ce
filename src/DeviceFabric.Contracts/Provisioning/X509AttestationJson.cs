namespace DeviceFabric.Contracts.Provisioning;

/// <summary>An enrollment's X.509 attestation: the device's own certificates (individual enrollments).</summary>
public sealed class X509AttestationJson
{
    /// <summary>The device certificates.</summary>
    public X509CertificatesJson? ClientCertificates { get; set; }

    /// <summary>Signing (CA) certificates of a group: not served yet, refused with a 400.</summary>
    public X509CertificatesJson? SigningCertificates { get; set; }
}
