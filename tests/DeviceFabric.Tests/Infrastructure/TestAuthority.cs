using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DeviceFabric.Tests.Infrastructure;

/// <summary>
/// A certificate authority for tests, as an operator's PKI would have one: a root or an intermediate (P-256 keys, so
/// tests make them in microseconds) that issues device certificates with the client-authentication usage.
/// </summary>
internal sealed class TestAuthority : IDisposable
{
    private TestAuthority(X509Certificate2 certificate, TestAuthority? parent)
    {
        Certificate = certificate;
        Parent = parent;
    }

    /// <summary>The CA certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The CA that issued this one, for an intermediate.</summary>
    public TestAuthority? Parent { get; }

    /// <summary>The CA certificate as PEM, as uploaded to a hub.</summary>
    public string Pem => Certificate.ExportCertificatePem();

    public static TestAuthority CreateRoot(string name, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = AuthorityRequest(name, key);
        var now = DateTimeOffset.UtcNow;
        return new TestAuthority(request.CreateSelfSigned(now.AddDays(-30), notAfter ?? now.AddYears(5)), parent: null);
    }

    /// <summary>An intermediate CA this one signs.</summary>
    public TestAuthority CreateIntermediate(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = AuthorityRequest(name, key);
        var now = DateTimeOffset.UtcNow;
        using var signed = request.Create(Certificate, now.AddDays(-20), now.AddYears(2), Serial());
        return new TestAuthority(signed.CopyWithPrivateKey(key), this);
    }

    /// <summary>A leaf with subject CN <paramref name="commonName"/>, with its private key.</summary>
    public X509Certificate2 Issue(string commonName, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + commonName, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        var now = DateTimeOffset.UtcNow;
        var from = notBefore ?? now.AddDays(-1);
        var until = notAfter ?? now.AddYears(1);
        // A certificate cannot outlive its issuer; an expired leaf needs a start before its end.
        using var signed = request.Create(Certificate, from, until < Certificate.NotAfter ? until : Certificate.NotAfter.AddSeconds(-1), Serial());
        return signed.CopyWithPrivateKey(key);
    }

    /// <summary>A TLS server certificate for <c>localhost</c> and <c>127.0.0.1</c>, with its private key.</summary>
    public X509Certificate2 IssueServer(TimeSpan validFor)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var signed = request.Create(Certificate, now.AddDays(-1), now + validFor, Serial());
        return signed.CopyWithPrivateKey(key);
    }

    /// <summary>The certificates a device presents with a leaf of this CA: its intermediates up to (not including) the root.</summary>
    public IReadOnlyList<X509Certificate2> Intermediates =>
        Parent is null ? [] : [Certificate, .. Parent.Intermediates];

    /// <summary>A PEM bundle of the leaf, its intermediates and its private key, as the Node SDK takes it.</summary>
    public string ChainPem(X509Certificate2 leaf) =>
        string.Concat([leaf.ExportCertificatePem(), "\n", .. Intermediates.Select(c => c.ExportCertificatePem() + "\n")]);

    public void Dispose() => Certificate.Dispose();

    private static CertificateRequest AuthorityRequest(string name, ECDsa key)
    {
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    private static byte[] Serial()
    {
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        return serial;
    }
}
