namespace DeviceFabric.Provisioning;

/// <summary>An enrollment's attestation: its symmetric keys, or its certificates' thumbprints (SHA-1 and SHA-256, hex).</summary>
[GenerateSerializer, Immutable, Alias("devicefabric.Attestation")]
public sealed record Attestation(
    [property: Id(0)] AttestationType Type,
    [property: Id(1)] string? PrimaryKey = null,
    [property: Id(2)] string? SecondaryKey = null,
    [property: Id(3)] CertificateAttestation? PrimaryCertificate = null,
    [property: Id(4)] CertificateAttestation? SecondaryCertificate = null);
