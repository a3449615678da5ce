using System.Security.Cryptography.X509Certificates;

namespace DeviceFabric.Mqtt.Transport;

/// <summary>
/// The certificates a device presented in its TLS handshake, leaf first then the intermediates it sent, kept as a
/// connection feature for its CONNECT: the handshake accepts any certificate, and the device's grain decides at CONNECT
/// against the hub the username names (thumbprint or CA chain), since the hub is not known during the handshake.
/// </summary>
internal sealed class PresentedCertificates(IReadOnlyList<byte[]> chain)
{
    /// <summary>More than any real device chain; the rest is not kept.</summary>
    private const int MaxCertificates = 8;

    public IReadOnlyList<byte[]> Chain { get; } = chain;

    /// <summary>What the handshake's validation callback saw: the leaf and the peer's other certificates (in the chain's extra store).</summary>
    public static PresentedCertificates? From(X509Certificate? leaf, X509Chain? chain)
    {
        if (leaf is null)
        {
            return null;
        }

        var leafDer = leaf.GetRawCertData();
        var certificates = new List<byte[]>(4) { leafDer };
        foreach (var other in chain?.ChainPolicy.ExtraStore ?? [])
        {
            if (certificates.Count >= MaxCertificates)
            {
                break;
            }

            var der = other.RawData;
            if (!certificates.Any(c => c.AsSpan().SequenceEqual(der)))
            {
                certificates.Add(der);
            }
        }

        return new PresentedCertificates(certificates);
    }
}
