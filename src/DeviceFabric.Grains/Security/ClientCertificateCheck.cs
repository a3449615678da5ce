using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DeviceFabric.Security;

/// <summary>
/// Checks the certificates a device presented (leaf first, then its intermediates): each one parses, the leaf is within
/// its validity, none is revoked, and, for CA authentication, the chain ends at one of the hub's verified CAs. Chains
/// are built offline against the hub's CAs only: no system store, no download.
/// </summary>
internal static class ClientCertificateCheck
{
    /// <summary>More certificates than any real chain has; a longer list is refused unread.</summary>
    public const int MaxChainLength = 8;

    /// <summary>The presented certificates' identities, leaf first; null with a reason when they do not parse or are too many.</summary>
    public static IReadOnlyList<CertificateIdentity>? Identities(IReadOnlyList<byte[]> presented, out string? refusal)
    {
        refusal = null;
        if (presented.Count is 0 or > MaxChainLength)
        {
            refusal = "certificate chain empty or longer than " + MaxChainLength;
            return null;
        }

        var identities = new List<CertificateIdentity>(presented.Count);
        foreach (var der in presented)
        {
            try
            {
                using var certificate = X509CertificateLoader.LoadCertificate(der);
                identities.Add(CertificateIdentity.Of(certificate));
            }
            catch (CryptographicException)
            {
                refusal = "a presented certificate does not parse";
                return null;
            }
        }

        return identities;
    }

    /// <summary>The reason the leaf is outside its validity at <paramref name="now"/>, or null.</summary>
    public static string? Validity(byte[] leafDer, DateTimeOffset now)
    {
        using var leaf = X509CertificateLoader.LoadCertificate(leafDer);
        return now.UtcDateTime < leaf.NotBefore.ToUniversalTime() ? "certificate not yet valid"
            : now.UtcDateTime > leaf.NotAfter.ToUniversalTime() ? "certificate expired"
            : null;
    }

    /// <summary>The first revoked certificate of the chain, as a refusal, or null.</summary>
    public static string? Revoked(IEnumerable<CertificateIdentity> chain, CertificateTrust trust) =>
        chain.Any(c => trust.RevocationOf(c) is not null) ? "certificate revoked" : null;

    /// <summary>
    /// Builds the chain from the leaf through the presented intermediates to a verified CA at <paramref name="now"/>.
    /// Returns the certificates of the built chain (leaf to CA) or null with the reason.
    /// </summary>
    public static IReadOnlyList<CertificateIdentity>? ChainToAuthority(IReadOnlyList<byte[]> presented, CertificateTrust trust, DateTimeOffset now, out string? refusal)
    {
        refusal = null;
        if (trust.Authorities.Count == 0)
        {
            refusal = "the hub has no verified certificate authority";
            return null;
        }

        var owned = new List<X509Certificate2>();
        try
        {
            var leaf = Load(presented[0], owned);
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.DisableCertificateDownloads = true;
            chain.ChainPolicy.VerificationTime = now.UtcDateTime;
            chain.ChainPolicy.VerificationTimeIgnored = false;
            foreach (var authority in trust.Authorities)
            {
                chain.ChainPolicy.CustomTrustStore.Add(Load(authority.Der, owned));
            }

            foreach (var intermediate in presented.Skip(1))
            {
                chain.ChainPolicy.ExtraStore.Add(Load(intermediate, owned));
            }

            if (!chain.Build(leaf))
            {
                var flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
                refusal = (flags & X509ChainStatusFlags.NotTimeValid) != 0
                    ? "certificate expired or not yet valid"
                    : $"certificate chain does not end at a verified certificate authority ({flags}, {presented.Count} presented)";
                return null;
            }

            return chain.ChainElements.Select(e => CertificateIdentity.Of(e.Certificate)).ToList();
        }
        catch (CryptographicException)
        {
            refusal = "a presented certificate does not parse";
            return null;
        }
        finally
        {
            foreach (var certificate in owned)
            {
                certificate.Dispose();
            }
        }
    }

    /// <summary>The subject's common name of <paramref name="der"/>.</summary>
    public static string CommonName(byte[] der)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(der);
        return certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
    }

    private static X509Certificate2 Load(byte[] der, List<X509Certificate2> owned)
    {
        var certificate = X509CertificateLoader.LoadCertificate(der);
        owned.Add(certificate);
        return certificate;
    }
}
