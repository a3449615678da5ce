namespace DeviceFabric.Contracts.Provisioning;

/// <summary>An enrollment's X.509 attestation: the device's own certificates (individual enrollments).</summary>
public sealed class X509AttestationJson
{
    /// <summary>The device certificates.</summary>
    public X509CertificatesJson? ClientCertificates { get; set; }

    /// <summary>Signing (root or intermediate CA) certificates of a group: a device whose chain ends at one registers.</summary>
    public X509CertificatesJson? SigningCertificates { get; set; }

    /// <summary>Names of verified CA certificates of the fabric's hubs, instead of signing certificates.</summary>
    public X509CaReferencesJson? CaReferences { get; set; }
}
