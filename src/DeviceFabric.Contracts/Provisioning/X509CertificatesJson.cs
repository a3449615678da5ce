namespace DeviceFabric.Contracts.Provisioning;

/// <summary>A primary and an optional secondary certificate.</summary>
public sealed class X509CertificatesJson
{
    /// <summary>The primary certificate.</summary>
    public X509CertificateWithInfoJson? Primary { get; set; }

    /// <summary>The secondary certificate.</summary>
    public X509CertificateWithInfoJson? Secondary { get; set; }
}
