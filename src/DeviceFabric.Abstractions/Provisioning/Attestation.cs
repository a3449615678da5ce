namespace DeviceFabric.Provisioning;

/// <summary>
/// An enrollment's attestation: its symmetric keys; or its certificates (a device's own for an individual enrollment,
/// signing CA certificates for a group); or, for a group, the names of verified CA certificates of the fabric's hubs.
/// </summary>
[GenerateSerializer, Immutable, Alias("devicefabric.Attestation")]
public sealed record Attestation(
    [property: Id(0)] AttestationType Type,
    [property: Id(1)] string? PrimaryKey = null,
    [property: Id(2)] string? SecondaryKey = null,
    [property: Id(3)] CertificateAttestation? PrimaryCertificate = null,
    [property: Id(4)] CertificateAttestation? SecondaryCertificate = null,
    [property: Id(5)] string? PrimaryCaReference = null,
    [property: Id(6)] string? SecondaryCaReference = null);
