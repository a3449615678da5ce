using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceFabric.Devices;
using DeviceFabric.Hosting;
using DeviceFabric.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DeviceFabric.Security;

/// <summary>
/// A hub's CA certificates with IoT Hub's proof of possession (this file) and its revocation list
/// (<c>HubCertificatesGrain.Revocations.cs</c>). The trust devices are checked against is rebuilt after every change
/// and handed out as one immutable snapshot.
/// </summary>
internal sealed partial class HubCertificatesGrain(
    [PersistentState("certificates", GrainStorage.Name)] IPersistentState<HubCertificatesState> state,
    GrainClock clock,
    IOptions<CertificateOptions> options,
    ILogger<HubCertificatesGrain> logger) : Grain, IHubCertificatesGrain
{
    private const int MaxPemLength = 16 * 1024;

    private CertificateTrust? _trust;

    private string Hub => this.GetPrimaryKeyString();

    public async Task<CertificateAuthorityInfo> PutAsync(string name, string pem, bool isVerified, string? ifMatch, CancellationToken cancellationToken = default)
    {
        ThrowIfInvalidName(name);
        if (isVerified && !options.Value.AllowVerifiedUpload)
        {
            throw Invalid("properties.isVerified: a CA certificate is verified by proof of possession (generateVerificationCode, then verify); this node does not allow verified uploads (DeviceFabric:Certificates:AllowVerifiedUpload).");
        }

        using var certificate = ReadCertificate(pem, "properties.certificate");
        if (certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true })
        {
            throw Invalid("properties.certificate is not a CA certificate (its basic constraints do not say CA).");
        }

        var now = clock.Time.GetUtcNow();
        if (certificate.NotAfter.ToUniversalTime() < now.UtcDateTime)
        {
            throw Invalid("properties.certificate has expired.");
        }

        var current = Find(name);
        if (current is not null)
        {
            ThrowUnlessMatches(current, ifMatch);
        }
        else if (state.State.Authorities.Count >= IHubCertificatesGrain.MaxAuthorities)
        {
            throw Invalid($"A hub holds at most {IHubCertificatesGrain.MaxAuthorities} CA certificates.");
        }

        var identity = CertificateIdentity.Of(certificate);
        var info = new CertificateAuthorityInfo(
            name, certificate.Subject, identity.Sha1Thumbprint, identity.Sha256Thumbprint, identity.NotAfter, isVerified,
            current?.Created ?? now, now, string.Empty, certificate.ExportCertificatePem());
        var saved = await SaveAsync(info, cancellationToken);
        if (current is { IsVerified: true } && (!info.IsVerified || current.Sha256Thumbprint != info.Sha256Thumbprint))
        {
            await WithdrawIfUnusedAsync(current);
        }

        await AuditAsync(SecurityAuditKind.CertificateUploaded, name, $"{certificate.Subject}, thumbprint {identity.Sha1Thumbprint}{(isVerified ? ", uploaded verified" : string.Empty)}");
        return saved;
    }

    public Task<CertificateAuthorityInfo?> GetAsync(string name, CancellationToken cancellationToken = default) => Task.FromResult(Find(name));

    public Task<IReadOnlyList<CertificateAuthorityInfo>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<CertificateAuthorityInfo>>(state.State.Authorities);

    public async Task DeleteAsync(string name, string? ifMatch, CancellationToken cancellationToken = default)
    {
        var current = Require(name);
        ThrowUnlessMatches(current, ifMatch);
        var kept = state.State.Authorities;
        state.State.Authorities = kept.Where(a => a.Name != name).ToList();
        await WriteAsync(() => state.State.Authorities = kept, cancellationToken);
        if (current.IsVerified)
        {
            await WithdrawIfUnusedAsync(current);
        }

        await AuditAsync(SecurityAuditKind.CertificateDeleted, name, $"{current.Subject}, thumbprint {current.Thumbprint}");
    }

    public async Task<CertificateAuthorityInfo> GenerateVerificationCodeAsync(string name, string? ifMatch, CancellationToken cancellationToken = default)
    {
        var current = Require(name);
        ThrowUnlessMatches(current, ifMatch);
        var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        var saved = await SaveAsync(current with { VerificationCode = code, Updated = clock.Time.GetUtcNow() }, cancellationToken);
        await AuditAsync(SecurityAuditKind.CertificateVerificationCodeIssued, name, "verification code issued");
        return saved;
    }

    public async Task<CertificateAuthorityInfo> VerifyAsync(string name, string proofPem, string? ifMatch, CancellationToken cancellationToken = default)
    {
        var current = Require(name);
        ThrowUnlessMatches(current, ifMatch);
        if (current.VerificationCode is not { } code)
        {
            throw Invalid($"Certificate {name} has no verification code: call generateVerificationCode first.");
        }

        using var proof = ReadCertificate(proofPem, "certificate");
        if (!string.Equals(CertificateNames.CommonName(proof), code, StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid("certificate: the proof's subject CN is not the verification code.");
        }

        using var authority = X509Certificate2.CreateFromPem(current.Pem);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = clock.Time.GetUtcNow().UtcDateTime;
        var built = chain.Build(proof) && chain.ChainElements.Count == 2;
        ClientCertificateCheck.DisposeElements(chain);
        if (!built)
        {
            throw Invalid($"certificate: the proof is not signed by certificate {name}, or is outside its validity.");
        }

        var saved = await SaveAsync(current with { IsVerified = true, VerificationCode = null, Updated = clock.Time.GetUtcNow() }, cancellationToken);
        await AuditAsync(SecurityAuditKind.CertificateVerified, name, $"proof of possession passed, thumbprint {current.Thumbprint}");
        return saved;
    }

    public async Task<IReadOnlyList<ExpiringCertificate>> ListExpiringAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        var devices = await GrainFactory.GetGrain<Registry.IDeviceRegistryGrain>(Hub).ListCertificatesExpiringAsync(before, cancellationToken);
        return state.State.Authorities
            .Where(a => a.Expiry < before)
            .Select(a => new ExpiringCertificate("certificateAuthority", a.Name, a.Thumbprint, a.Expiry))
            .Concat(devices)
            .OrderBy(c => c.NotAfter)
            .ToList();
    }

    public Task<CertificateTrust> GetTrustAsync() => Task.FromResult(_trust ??= BuildTrust());

    private CertificateTrust BuildTrust() => new(
        state.State.Version,
        state.State.Authorities.Where(a => a.IsVerified)
            .Select(a => new TrustedAuthority(a.Name, PemToDer(a.Pem), a.Sha256Thumbprint)).ToList(),
        state.State.Revocations.ToList());

    private async Task<CertificateAuthorityInfo> SaveAsync(CertificateAuthorityInfo info, CancellationToken cancellationToken)
    {
        var kept = state.State.Authorities;
        var stored = info with { ETag = ETags.FromVersion(state.State.Version + 1) };
        state.State.Authorities = kept.Where(a => a.Name != info.Name).Append(stored).OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
        await WriteAsync(() => state.State.Authorities = kept, cancellationToken);
        return stored;
    }

    /// <summary>Stores the state with a new version, undoing the in-memory change if the write fails.</summary>
    private async Task WriteAsync(Action undo, CancellationToken cancellationToken)
    {
        state.State.Version++;
        _trust = null;
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch
        {
            undo();
            state.State.Version--;
            throw;
        }
    }

    /// <summary>Closes the sessions that chained to a CA no longer trusted, unless another verified entry holds the same certificate.</summary>
    private Task WithdrawIfUnusedAsync(CertificateAuthorityInfo withdrawn) =>
        state.State.Authorities.Any(a => a.IsVerified && a.Sha256Thumbprint == withdrawn.Sha256Thumbprint)
            ? Task.CompletedTask
            : SecurityNotices.WithdrawAsync(this, new CredentialWithdrawal(Hub, null, [], [withdrawn.Sha256Thumbprint]), logger);

    private Task AuditAsync(SecurityAuditKind kind, string subject, string detail) =>
        SecurityNotices.AuditAsync(GrainFactory, Hub, kind, subject, detail, logger);

    private CertificateAuthorityInfo? Find(string name) => state.State.Authorities.FirstOrDefault(a => a.Name == name);

    private CertificateAuthorityInfo Require(string name) =>
        Find(name) ?? throw new DeviceFabricException(DeviceFabricErrorCode.CertificateNotFound, $"Hub {Hub} has no certificate {name}.");

    private static void ThrowUnlessMatches(CertificateAuthorityInfo current, string? ifMatch)
    {
        if (!ETags.Matches(ifMatch, current.ETag))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.PreconditionFailed, $"Precondition failed: the etag given for certificate {current.Name} is not its current one.");
        }
    }

    private static X509Certificate2 ReadCertificate(string? pem, string field)
    {
        if (string.IsNullOrWhiteSpace(pem) || pem.Length > MaxPemLength)
        {
            throw Invalid($"{field} must be a PEM certificate of at most {MaxPemLength} characters.");
        }

        try
        {
            return X509Certificate2.CreateFromPem(pem);
        }
        catch (CryptographicException)
        {
            throw Invalid($"{field} is not a PEM certificate.");
        }
    }

    private static byte[] PemToDer(string pem)
    {
        using var certificate = X509Certificate2.CreateFromPem(pem);
        return certificate.RawData;
    }

    private static void ThrowIfInvalidName(string name)
    {
        if (!ResourceNames.IsValid(name))
        {
            throw Invalid("The certificate name must be 1-64 letters, digits, '-', '_' or '.'.");
        }

        // /certificates/revocations and /certificates/expiring are the list's neighbours on the REST API.
        if (name is "revocations" or "expiring")
        {
            throw Invalid($"'{name}' is reserved; name the certificate otherwise.");
        }
    }

    private static DeviceFabricException Invalid(string message) => new(DeviceFabricErrorCode.ArgumentInvalid, message);
}
