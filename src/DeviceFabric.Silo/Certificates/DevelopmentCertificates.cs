using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DeviceFabric.Silo.Certificates;

/// <summary>
/// The development CA and server certificate a first run creates under <c>{data}/certs</c>: devices and tools trust
/// <c>ca.pem</c>; the server presents <c>server.pem</c>, valid for <c>localhost</c>, <c>127.0.0.1</c>, <c>::1</c> and every
/// hub's host name (it is made again when a hub is added). Private keys are written readable by the owner only.
/// </summary>
internal static class DevelopmentCertificates
{
    public const string CaFileName = "ca.pem";
    private const string CaKeyFileName = "ca.key.pem";
    private const string ServerFileName = "server.pem";
    private const string ServerKeyFileName = "server.key.pem";

    /// <summary>Loads the server certificate, creating the CA and the certificate first where they are missing or expiring.</summary>
    public static (X509Certificate2 Server, string CaPath, bool Created) EnsureServerCertificate(string dataPath, IReadOnlyCollection<string> hostNames, TimeProvider time)
    {
        var directory = Path.Combine(dataPath, "certs");
        Directory.CreateDirectory(directory);
        var caPath = Path.Combine(directory, CaFileName);
        var caKeyPath = Path.Combine(directory, CaKeyFileName);
        var serverPath = Path.Combine(directory, ServerFileName);
        var serverKeyPath = Path.Combine(directory, ServerKeyFileName);
        var now = time.GetUtcNow();
        var created = false;

        if (!File.Exists(caPath) || !File.Exists(caKeyPath))
        {
            using var ca = CreateCa(now);
            WritePem(caPath, ca.ExportCertificatePem(), ownerOnly: false);
            WritePem(caKeyPath, ca.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem(), ownerOnly: true);
            File.Delete(serverPath);
            created = true;
        }

        if (!File.Exists(serverPath) || !File.Exists(serverKeyPath) || ExpiresSoon(serverPath, now) || !Covers(serverPath, hostNames))
        {
            using var ca = X509Certificate2.CreateFromPemFile(caPath, caKeyPath);
            using var server = CreateServer(ca, hostNames, now);
            WritePem(serverPath, server.ExportCertificatePem(), ownerOnly: false);
            WritePem(serverKeyPath, server.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem(), ownerOnly: true);
            created = true;
        }

        return (LoadWithKey(serverPath, serverKeyPath), caPath, created);
    }

    /// <summary>Where the development server certificate and its key are kept.</summary>
    public static (string Certificate, string Key) ServerPaths(string dataPath) =>
        (Path.Combine(dataPath, "certs", ServerFileName), Path.Combine(dataPath, "certs", ServerKeyFileName));

    /// <summary>Loads a PEM certificate and key in a form SslStream can use on every platform.</summary>
    public static X509Certificate2 LoadWithKey(string certificatePath, string keyPath)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
    }

    private static X509Certificate2 CreateCa(DateTimeOffset now)
    {
        var key = RSA.Create(3072);
        var request = new CertificateRequest("CN=DeviceFabric Development CA", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
    }

    private static X509Certificate2 CreateServer(X509Certificate2 ca, IReadOnlyCollection<string> hostNames, DateTimeOffset now)
    {
        var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=" + hostNames.First(), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in WithLoopback(hostNames))
        {
            if (IPAddress.TryParse(name, out var address))
            {
                names.AddIpAddress(address);
            }
            else
            {
                names.AddDnsName(name);
            }
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var signed = request.Create(ca, now.AddDays(-1), now.AddYears(2), serial);
        return signed.CopyWithPrivateKey(key);
    }

    private static IEnumerable<string> WithLoopback(IEnumerable<string> hostNames) =>
        new[] { "localhost", "127.0.0.1", "::1" }.Concat(hostNames).Distinct(StringComparer.OrdinalIgnoreCase);

    private static bool ExpiresSoon(string path, DateTimeOffset now)
    {
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(path);
        return certificate.NotAfter.ToUniversalTime() < now.UtcDateTime.AddDays(30);
    }

    private static bool Covers(string path, IEnumerable<string> hostNames)
    {
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(path);
        return hostNames.All(name => certificate.MatchesHostname(name));
    }

    private static void WritePem(string path, string pem, bool ownerOnly)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (ownerOnly && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        File.Delete(path);
        using var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options);
        writer.Write(pem);
    }
}
