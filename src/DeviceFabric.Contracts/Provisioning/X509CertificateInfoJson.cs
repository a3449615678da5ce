namespace DeviceFabric.Contracts.Provisioning;

/// <summary>What DPS reports of an enrolled certificate.</summary>
public sealed class X509CertificateInfoJson
{
    /// <summary>The subject's distinguished name.</summary>
    public string? SubjectName { get; set; }

    /// <summary>SHA-1 thumbprint, hex.</summary>
    public string? Sha1Thumbprint { get; set; }

    /// <summary>SHA-256 thumbprint, hex.</summary>
    public string? Sha256Thumbprint { get; set; }

    /// <summary>The issuer's distinguished name.</summary>
    public string? IssuerName { get; set; }

    /// <summary>Valid from, UTC.</summary>
    public DateTime? NotBeforeUtc { get; set; }

    /// <summary>Valid until, UTC.</summary>
    public DateTime? NotAfterUtc { get; set; }

    /// <summary>The serial number, hex.</summary>
    public string? SerialNumber { get; set; }

    /// <summary>The X.509 version.</summary>
    public int Version { get; set; } = 3;
}
