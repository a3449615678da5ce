namespace DeviceFabric.Security;

/// <summary>A verified CA certificate of a hub.</summary>
/// <param name="Name">Its name in the hub's certificate list.</param>
/// <param name="Der">The certificate.</param>
/// <param name="Sha256Thumbprint">Its SHA-256 thumbprint, upper-case hex.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.TrustedAuthority")]
public sealed record TrustedAuthority(
    [property: Id(0)] string Name,
    [property: Id(1)] byte[] Der,
    [property: Id(2)] string Sha256Thumbprint);
