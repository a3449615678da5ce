using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DeviceFabric.Tests.Infrastructure;

/// <summary>A cluster CA and certificates it issued, written as PEM files the way an operator would hand them to silos.</summary>
internal sealed class ClusterCertificates
{
    private ClusterCertificates(string directory)
    {
        Directory.CreateDirectory(directory);
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=DeviceFabric test cluster CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Authority = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        AuthorityPath = Path.Combine(directory, "cluster-ca.pem");
        File.WriteAllText(AuthorityPath, Authority.ExportCertificatePem());

        Member = Issue(Authority, caKey, "CN=devicefabric-silo");
        MemberCertificatePath = Path.Combine(directory, "silo.pem");
        MemberKeyPath = Path.Combine(directory, "silo.key");
        File.WriteAllText(MemberCertificatePath, Member.ExportCertificatePem());
        File.WriteAllText(MemberKeyPath, Member.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        Client = Issue(Authority, caKey, "CN=devicefabric-backend");

        using var strangerKey = RSA.Create(2048);
        var strangerCa = new CertificateRequest("CN=Someone else's CA", strangerKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        strangerCa.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var stranger = strangerCa.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        Stranger = Issue(stranger, strangerKey, "CN=devicefabric-backend");
    }

    public X509Certificate2 Authority { get; }

    public string AuthorityPath { get; }

    public X509Certificate2 Member { get; }

    public string MemberCertificatePath { get; }

    public string MemberKeyPath { get; }

    /// <summary>A backend's certificate from the cluster's CA.</summary>
    public X509Certificate2 Client { get; }

    /// <summary>A certificate of the same name from another CA.</summary>
    public X509Certificate2 Stranger { get; }

    public static ClusterCertificates Create(string directory) => new(directory);

    /// <summary>The settings that give a silo its certificate and the cluster's CA.</summary>
    public IReadOnlyDictionary<string, string?> Settings() => new Dictionary<string, string?>
    {
        ["DeviceFabric:Cluster:CertificatePath"] = MemberCertificatePath,
        ["DeviceFabric:Cluster:KeyPath"] = MemberKeyPath,
        ["DeviceFabric:Cluster:TrustedCaPath"] = AuthorityPath,
    };

    /// <summary>A certificate for both ends of TLS (a member dials its peers and answers them), issued by <paramref name="issuer"/>.</summary>
    private static X509Certificate2 Issue(X509Certificate2 issuer, RSA issuerKey, string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var signed = request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForRSA(issuerKey, RSASignaturePadding.Pkcs1), DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1), serial);
        using var withKey = signed.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), password: null);
    }
}
