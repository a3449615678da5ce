using Orleans.Concurrency;

namespace DeviceFabric.Security;

/// <summary>
/// A hub's certificate trust: its CA certificates with IoT Hub's proof of possession, and its revocation list. Key: the
/// hub name. A CA deleted, replaced or revoked, and a certificate revoked, take effect at once: connects are checked
/// against the current trust, and every front end closes the sessions whose chains hold a withdrawn certificate.
/// </summary>
[Alias("devicefabric.IHubCertificatesGrain")]
public interface IHubCertificatesGrain : IGrainWithStringKey
{
    /// <summary>The most CA certificates a hub holds, as IoT Hub.</summary>
    public const int MaxAuthorities = 25;

    /// <summary>The most revocation entries a hub holds.</summary>
    public const int MaxRevocations = 10_000;

    /// <summary>
    /// Uploads a CA certificate, or replaces it (then <paramref name="ifMatch"/> must match unless null or <c>*</c>; its
    /// verification is lost). <paramref name="isVerified"/> is honoured only when the node allows verified uploads.
    /// </summary>
    Task<CertificateAuthorityInfo> PutAsync(string name, string pem, bool isVerified, string? ifMatch, CancellationToken cancellationToken = default);

    /// <summary>The certificate, or null.</summary>
    Task<CertificateAuthorityInfo?> GetAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Every CA certificate of the hub.</summary>
    Task<IReadOnlyList<CertificateAuthorityInfo>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes a CA certificate; devices beneath it can no longer connect.</summary>
    Task DeleteAsync(string name, string? ifMatch, CancellationToken cancellationToken = default);

    /// <summary>Issues a new verification code for proof of possession.</summary>
    Task<CertificateAuthorityInfo> GenerateVerificationCodeAsync(string name, string? ifMatch, CancellationToken cancellationToken = default);

    /// <summary>
    /// Verifies the CA with a proof: a certificate signed by it whose subject CN is the issued code. Fails with
    /// <see cref="DeviceFabricErrorCode.ArgumentInvalid"/> for a wrong code, signer or validity.
    /// </summary>
    Task<CertificateAuthorityInfo> VerifyAsync(string name, string proofPem, string? ifMatch, CancellationToken cancellationToken = default);

    /// <summary>The verified CAs and the revocation list, for connects.</summary>
    [ReadOnly]
    Task<CertificateTrust> GetTrustAsync();

    /// <summary>Revokes a certificate by thumbprint or serial number; its sessions and those of certificates beneath it close.</summary>
    Task<Revocation> RevokeAsync(string? thumbprint, string? serialNumber, string reason, CancellationToken cancellationToken = default);

    /// <summary>Takes an entry (by <see cref="Revocation.Key"/>) off the list; fails with <see cref="DeviceFabricErrorCode.CertificateNotFound"/>.</summary>
    Task RemoveRevocationAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>The hub's CA certificates and the certificates its devices last connected with that expire before <paramref name="before"/>.</summary>
    [ReadOnly]
    Task<IReadOnlyList<ExpiringCertificate>> ListExpiringAsync(DateTimeOffset before, CancellationToken cancellationToken = default);

    /// <summary>The revocation list.</summary>
    [ReadOnly]
    Task<IReadOnlyList<Revocation>> ListRevocationsAsync(CancellationToken cancellationToken = default);
}
