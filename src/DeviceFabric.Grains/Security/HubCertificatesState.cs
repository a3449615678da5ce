namespace DeviceFabric.Security;

/// <summary>What a hub's certificates grain stores.</summary>
[GenerateSerializer, Alias("devicefabric.HubCertificatesState")]
public sealed class HubCertificatesState
{
    /// <summary>Grows with every change; etags and trust snapshots carry it.</summary>
    [Id(0)] public long Version { get; set; }

    [Id(1)] public List<CertificateAuthorityInfo> Authorities { get; set; } = [];

    [Id(2)] public List<Revocation> Revocations { get; set; } = [];
}
