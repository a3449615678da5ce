using DeviceFabric.Security;
using DeviceFabric.Streams;

namespace DeviceFabric.Client;

/// <summary>
/// Key management of one hub: its shared access policies, its CA certificates with proof of possession, its
/// revocation list, the certificates about to expire, and the audit history of every such change. The same operations
/// and rules as the REST API's <c>/policies</c>, <c>/certificates</c> and <c>/security/events</c>. Changes made here
/// are audited with the actor <c>grain-client</c>.
/// </summary>
public sealed class SecurityClient
{
    private readonly IClusterClient _client;
    private readonly string _hub;

    internal SecurityClient(IClusterClient client, string hub)
    {
        _client = client;
        _hub = hub;
    }

    /// <summary>The hub's policies with their keys.</summary>
    public Task<IReadOnlyList<SharedAccessPolicy>> ListPoliciesAsync(CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Hub.GetAccessPoliciesAsync(cancellationToken));

    /// <summary>Creates a policy or replaces its rights and keys; keys left null are kept or generated.</summary>
    public Task<SharedAccessPolicy> PutPolicyAsync(PolicySettings settings, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Hub.PutPolicyAsync(settings, cancellationToken));

    /// <summary>Deletes a policy; its tokens and device sessions stop at once.</summary>
    public Task DeletePolicyAsync(string keyName, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(async () =>
        {
            await Hub.DeletePolicyAsync(keyName, cancellationToken).ConfigureAwait(false);
            return true;
        });

    /// <summary>Regenerates a policy's primary or secondary key, or swaps them.</summary>
    public Task<SharedAccessPolicy> RegeneratePolicyKeyAsync(string keyName, KeyRollover rollover, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Hub.RegenerateKeyAsync(keyName, rollover, cancellationToken));

    /// <summary>Uploads a CA certificate (unverified), or replaces it when <paramref name="ifMatch"/> matches.</summary>
    public Task<CertificateAuthorityInfo> PutCertificateAsync(string name, string pem, string? ifMatch = null, bool isVerified = false, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Certificates.PutAsync(name, pem, isVerified, ifMatch, cancellationToken));

    /// <summary>A CA certificate.</summary>
    public Task<CertificateAuthorityInfo> GetCertificateAsync(string name, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(async () => await Certificates.GetAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw new DeviceFabricException(DeviceFabricErrorCode.CertificateNotFound, $"The hub has no certificate {name}."));

    /// <summary>The hub's CA certificates.</summary>
    public Task<IReadOnlyList<CertificateAuthorityInfo>> ListCertificatesAsync(CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Certificates.ListAsync(cancellationToken));

    /// <summary>Deletes a CA certificate; devices beneath it are refused and their sessions closed.</summary>
    public Task DeleteCertificateAsync(string name, string ifMatch, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(async () =>
        {
            await Certificates.DeleteAsync(name, ifMatch, cancellationToken).ConfigureAwait(false);
            return true;
        });

    /// <summary>Issues a verification code (in <see cref="CertificateAuthorityInfo.VerificationCode"/>) for proof of possession.</summary>
    public Task<CertificateAuthorityInfo> GenerateVerificationCodeAsync(string name, string ifMatch, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Certificates.GenerateVerificationCodeAsync(name, ifMatch, cancellationToken));

    /// <summary>Verifies a CA with a PEM certificate it signed whose subject CN is the verification code.</summary>
    public Task<CertificateAuthorityInfo> VerifyCertificateAsync(string name, string proofPem, string ifMatch, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Certificates.VerifyAsync(name, proofPem, ifMatch, cancellationToken));

    /// <summary>Revokes a certificate by thumbprint or serial number (give exactly one).</summary>
    public Task<Revocation> RevokeAsync(string? thumbprint, string? serialNumber, string reason, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Certificates.RevokeAsync(thumbprint, serialNumber, reason, cancellationToken));

    /// <summary>Takes an entry off the revocation list by its <see cref="Revocation.Key"/>.</summary>
    public Task RemoveRevocationAsync(string key, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(async () =>
        {
            await Certificates.RemoveRevocationAsync(key, cancellationToken).ConfigureAwait(false);
            return true;
        });

    /// <summary>The revocation list.</summary>
    public Task<IReadOnlyList<Revocation>> ListRevocationsAsync(CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Certificates.ListRevocationsAsync(cancellationToken));

    /// <summary>The hub's CA and device certificates that expire within <paramref name="window"/> (a node's server certificate is listed by its REST API).</summary>
    public Task<IReadOnlyList<ExpiringCertificate>> ListExpiringAsync(TimeSpan window, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Certificates.ListExpiringAsync(DateTimeOffset.UtcNow + window, cancellationToken));

    /// <summary>Audit events of the hub matching <paramref name="filter"/>, oldest first.</summary>
    public Task<IReadOnlyList<SecurityAuditEvent>> ListEventsAsync(SecurityAuditFilter? filter = null, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => _client.GetGrain<ISecurityAuditGrain>(_hub).ListAsync(filter ?? new SecurityAuditFilter(), cancellationToken));

    /// <summary>Calls <paramref name="handler"/> for every audit event of the hub from now on, in order (live, as the lifecycle events).</summary>
    public Task<IAsyncDisposable> SubscribeAsync(Func<SecurityAuditEvent, Task> handler, CancellationToken cancellationToken = default) =>
        ClientGuards.SubscribeAsync(_client, FabricStreams.SecurityNamespace, _hub, handler, cancellationToken);

    private IHubGrain Hub => _client.GetGrain<IHubGrain>(_hub);

    private IHubCertificatesGrain Certificates => _client.GetGrain<IHubCertificatesGrain>(_hub);
}
