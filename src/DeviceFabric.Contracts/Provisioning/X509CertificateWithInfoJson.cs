namespace DeviceFabric.Contracts.Provisioning;

/// <summary>A certificate as written (PEM or base64 DER) and, in answers, what the service read of it.</summary>
public sealed class X509CertificateWithInfoJson
{
    /// <summary>The certificate (write-only: answers carry <see cref="Info"/> instead).</summary>
    public string? Certificate { get; set; }

    /// <summary>Its subject, issuer, thumbprints and validity.</summary>
    public X509CertificateInfoJson? Info { get; set; }
}
