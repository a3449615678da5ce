using System.Security.Cryptography.X509Certificates;

namespace DeviceFabric.Security;

/// <summary>
/// Who may join a cluster or talk to its gateways: whoever presents a certificate issued by the cluster's own CA.
/// Members are reached by address, not by name, so the name in the certificate is not what is checked; the issuer is.
/// </summary>
public static class ClusterTrust
{
    /// <summary>Whether <paramref name="presented"/> chains to <paramref name="authority"/> (and to nothing else) and is in its validity.</summary>
    public static bool IsIssuedBy(X509Certificate2? presented, X509Certificate2 authority)
    {
        ArgumentNullException.ThrowIfNull(authority);
        if (presented is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(presented) && chain.ChainElements[^1].Certificate.Thumbprint == authority.Thumbprint;
    }
}
