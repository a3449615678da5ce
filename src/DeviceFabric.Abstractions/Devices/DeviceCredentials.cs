namespace DeviceFabric.Devices;

/// <summary>What a connecting device presents.</summary>
/// <param name="HostName">The host part of the MQTT username: the hub the device says it connects to.</param>
/// <param name="SasToken">The CONNECT password, when the device authenticates with a SAS token.</param>
/// <param name="CertificateThumbprints">SHA-1 and SHA-256 hex thumbprints of the TLS client certificate, when one was presented.</param>
/// <param name="CertificateChain">The DER of every certificate the device presented, leaf first (its intermediates follow), when it presented one.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.DeviceCredentials")]
public sealed record DeviceCredentials(
    [property: Id(0)] string HostName,
    [property: Id(1)] string? SasToken,
    [property: Id(2)] IReadOnlyList<string>? CertificateThumbprints,
    [property: Id(3)] IReadOnlyList<byte[]>? CertificateChain = null);
