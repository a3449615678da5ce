namespace DeviceFabric.Provisioning;

/// <summary>An enrolled certificate: the PEM as given, and what DPS reports of it.</summary>
[GenerateSerializer, Immutable, Alias("devicefabric.CertificateAttestation")]
public sealed record CertificateAttestation(
    [property: Id(0)] string Pem,
    [property: Id(1)] string SubjectName,
    [property: Id(2)] string Sha1Thumbprint,
    [property: Id(3)] string Sha256Thumbprint,
    [property: Id(4)] string IssuerName,
    [property: Id(5)] DateTimeOffset NotBefore,
    [property: Id(6)] DateTimeOffset NotAfter,
    [property: Id(7)] string SerialNumber);
