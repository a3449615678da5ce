namespace DeviceFabric.Provisioning;

/// <summary>What a device that connects to register presents.</summary>
/// <param name="IdScope">The ID scope of its username.</param>
/// <param name="SasToken">The CONNECT password (symmetric-key attestation).</param>
/// <param name="CertificateThumbprints">SHA-1 and SHA-256 thumbprints of its TLS client certificate (X.509 attestation).</param>
/// <param name="CertificateChain">The DER of the certificates it presented, leaf first (a group's devices send their intermediates).</param>
[GenerateSerializer, Immutable, Alias("devicefabric.ProvisioningCredentials")]
public sealed record ProvisioningCredentials(
    [property: Id(0)] string IdScope,
    [property: Id(1)] string? SasToken,
    [property: Id(2)] IReadOnlyList<string>? CertificateThumbprints,
    [property: Id(3)] IReadOnlyList<byte[]>? CertificateChain = null);
