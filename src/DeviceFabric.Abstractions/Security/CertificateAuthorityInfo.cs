namespace DeviceFabric.Security;

/// <summary>A CA certificate of a hub, as IoT Hub's certificate resource describes it.</summary>
/// <param name="Name">Its name in the hub.</param>
/// <param name="Subject">The certificate's subject.</param>
/// <param name="Thumbprint">Upper-case hex SHA-1 thumbprint (IoT Hub's form).</param>
/// <param name="Sha256Thumbprint">Upper-case hex SHA-256 thumbprint.</param>
/// <param name="Expiry">When the certificate expires.</param>
/// <param name="IsVerified">Whether proof of possession passed (or the upload was trusted as verified).</param>
/// <param name="Created">When it was first uploaded.</param>
/// <param name="Updated">When it last changed.</param>
/// <param name="ETag">Changes with every change.</param>
/// <param name="Pem">The certificate.</param>
/// <param name="VerificationCode">The code the proof's subject must carry, once one is issued and until it is used.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.CertificateAuthorityInfo")]
public sealed record CertificateAuthorityInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] string Subject,
    [property: Id(2)] string Thumbprint,
    [property: Id(3)] string Sha256Thumbprint,
    [property: Id(4)] DateTimeOffset Expiry,
    [property: Id(5)] bool IsVerified,
    [property: Id(6)] DateTimeOffset Created,
    [property: Id(7)] DateTimeOffset Updated,
    [property: Id(8)] string ETag,
    [property: Id(9)] string Pem,
    [property: Id(10)] string? VerificationCode = null);
