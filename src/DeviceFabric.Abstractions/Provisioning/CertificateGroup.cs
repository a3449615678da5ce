namespace DeviceFabric.Provisioning;

/// <summary>An enabled X.509 enrollment group: the CAs a registering device's chain may end at.</summary>
/// <param name="GroupId">The group.</param>
/// <param name="SigningCertificates">Its signing certificates (DER), trusted as the group owner uploaded them.</param>
/// <param name="CaReferences">Names of verified CA certificates of the hubs the group allocates to.</param>
/// <param name="IotHubs">The host names of the hubs the group allocates to; empty for every hub.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.CertificateGroup")]
public sealed record CertificateGroup(
    [property: Id(0)] string GroupId,
    [property: Id(1)] IReadOnlyList<byte[]> SigningCertificates,
    [property: Id(2)] IReadOnlyList<string> CaReferences,
    [property: Id(3)] IReadOnlyList<string> IotHubs);
