using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DeviceFabric.Security;

/// <summary>
/// Checks the certificates a device presented (leaf first, then its intermediates): each parses, the leaf is within its
/// validity, none is revoked, and, for CA authentication, the chain ends at one of the hub's verified CAs. Each
/// presented certificate is parsed once per check; the hubs' CA certificates are parsed once per silo (they change
/// rarely, and a connect storm would otherwise parse them again for every device). Chains are built offline against
/// the given CAs only: no system store, no download.
/// </summary>
internal sealed class ClientCertificateCheck : IDisposable
{
    /// <summary>More certificates than any real chain has; a longer list is refused unread.</summary>
    public const int MaxChainLength = 8;

    private const int MaxCachedAuthorities = 1024;
    private static readonly ConcurrentDictionary<string, X509Certificate2> s_authorities = new(StringComparer.Ordinal);

    private readonly X509Certificate2[] _presented;

    private ClientCertificateCheck(X509Certificate2[] presented, IReadOnlyList<CertificateIdentity> identities)
    {
        _presented = presented;
        Identities = identities;
    }

    /// <summary>The presented certificates' identities, leaf first.</summary>
    public IReadOnlyList<CertificateIdentity> Identities { get; }

    /// <summary>The leaf's one subject common name, or null when it has none or several.</summary>
    public string? CommonName => CertificateNames.CommonName(_presented[0]);

    /// <summary>Parses the presented certificates; null with a reason when they do not parse or are too many or none.</summary>
    public static ClientCertificateCheck? Load(IReadOnlyList<byte[]> presented, out string? refusal)
    {
        refusal = null;
        if (presented.Count is 0 or > MaxChainLength)
        {
            refusal = "certificate chain empty or longer than " + MaxChainLength;
            return null;
        }

        var loaded = new List<X509Certificate2>(presented.Count);
        try
        {
            foreach (var der in presented)
            {
                loaded.Add(X509CertificateLoader.LoadCertificate(der));
            }

            return new ClientCertificateCheck([.. loaded], loaded.Select(CertificateIdentity.Of).ToList());
        }
        catch (CryptographicException)
        {
            loaded.ForEach(c => c.Dispose());
            refusal = "a presented certificate does not parse";
            return null;
        }
    }

    /// <summary>The reason the leaf is outside its validity at <paramref name="now"/>, or null.</summary>
    public string? Validity(DateTimeOffset now)
    {
        var leaf = _presented[0];
        return now.UtcDateTime < leaf.NotBefore.ToUniversalTime() ? "certificate not yet valid"
            : now.UtcDateTime > leaf.NotAfter.ToUniversalTime() ? "certificate expired"
            : null;
    }

    /// <summary>"certificate revoked" when any of <paramref name="chain"/> is on the hub's list, or null.</summary>
    public static string? Revoked(IEnumerable<CertificateIdentity> chain, CertificateTrust trust) =>
        trust.Revocations.Count > 0 && chain.Any(c => trust.RevocationOf(c) is not null) ? "certificate revoked" : null;

    /// <summary>
    /// Builds the chain from the leaf through the presented intermediates to one of <paramref name="trust"/>'s CAs at
    /// <paramref name="now"/>. Returns the certificates of the built chain (leaf to CA) or null with the reason.
    /// </summary>
    public IReadOnlyList<CertificateIdentity>? ChainToAuthority(CertificateTrust trust, DateTimeOffset now, out string? refusal)
    {
        refusal = null;
        if (trust.Authorities.Count == 0)
        {
            refusal = "the hub has no verified certificate authority";
            return null;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        foreach (var authority in trust.Authorities)
        {
            chain.ChainPolicy.CustomTrustStore.Add(Authority(authority));
        }

        chain.ChainPolicy.ExtraStore.AddRange(_presented.AsSpan(1).ToArray());
        if (!chain.Build(_presented[0]))
        {
            DisposeElements(chain);
            var flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
            refusal = (flags & X509ChainStatusFlags.NotTimeValid) != 0
                ? "certificate expired or not yet valid"
                : $"certificate chain does not end at a verified certificate authority ({flags}, {_presented.Length} presented)";
            return null;
        }

        var built = new List<CertificateIdentity>(chain.ChainElements.Count);
        foreach (var element in chain.ChainElements)
        {
            using var certificate = element.Certificate;
            built.Add(CertificateIdentity.Of(certificate));
        }

        return built;
    }

    /// <summary>Disposes the certificates of a chain's elements, which disposing the chain leaves open.</summary>
    public static void DisposeElements(X509Chain chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        foreach (var element in chain.ChainElements)
        {
            element.Certificate.Dispose();
        }
    }

    /// <summary>Disposes the presented certificates.</summary>
    public void Dispose()
    {
        foreach (var certificate in _presented)
        {
            certificate.Dispose();
        }
    }

    /// <summary>A CA certificate parsed once per silo, by thumbprint; the cache is bounded and emptied when full.</summary>
    private static X509Certificate2 Authority(TrustedAuthority authority)
    {
        if (s_authorities.TryGetValue(authority.Sha256Thumbprint, out var cached))
        {
            return cached;
        }

        if (s_authorities.Count >= MaxCachedAuthorities)
        {
            // Certificates in use by a concurrent check stay valid: they are left for the finalizer, not disposed.
            s_authorities.Clear();
        }

        return s_authorities.GetOrAdd(authority.Sha256Thumbprint, _ => X509CertificateLoader.LoadCertificate(authority.Der));
    }
}
