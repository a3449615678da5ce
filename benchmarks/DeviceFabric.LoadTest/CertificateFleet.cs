using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace DeviceFabric.LoadTest;

/// <summary>
/// For <c>--auth x509ca</c>: a CA the harness makes, uploads to the hub and verifies by proof of possession, and a
/// certificate it issues to each device (CN = device id), so connects are checked by chain rather than by SAS.
/// </summary>
public sealed class CertificateFleet : IDisposable
{
    private const string Name = "load-ca";
    private readonly X509Certificate2 _root;
    private readonly ConcurrentDictionary<string, X509Certificate2> _leaves = new(StringComparer.Ordinal);

    public CertificateFleet()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=DeviceFabric load CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        _root = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    /// <summary>Uploads the CA (replacing one of an earlier run) and proves possession of its key.</summary>
    public async Task UploadAndVerifyAsync(FabricConnection fabric, CancellationToken cancellationToken)
    {
        using var existing = await fabric.SendAsync(HttpMethod.Get, $"/certificates/{Name}", string.Empty, cancellationToken);
        var etag = existing.IsSuccessStatusCode ? (await existing.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("etag").GetString()! : null;
        var body = JsonSerializer.Serialize(new { properties = new { certificate = _root.ExportCertificatePem() } });
        using var uploaded = await fabric.SendAsync(HttpMethod.Put, $"/certificates/{Name}", body, cancellationToken, etag is null ? [] : [("If-Match", etag)]);
        etag = await EtagAsync(uploaded, cancellationToken);
        using var coded = await fabric.SendAsync(HttpMethod.Post, $"/certificates/{Name}/generateVerificationCode", string.Empty, cancellationToken, ("If-Match", etag));
        var withCode = await coded.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        using var proof = Issue(withCode.GetProperty("properties").GetProperty("verificationCode").GetString()!);
        using var verified = await fabric.SendAsync(HttpMethod.Post, $"/certificates/{Name}/verify",
            JsonSerializer.Serialize(new { certificate = proof.ExportCertificatePem() }), cancellationToken, ("If-Match", withCode.GetProperty("etag").GetString()!));
        verified.EnsureSuccessStatusCode();
    }

    /// <summary>The device's certificate, issued on first use.</summary>
    public X509Certificate2 LeafFor(string deviceId) => _leaves.GetOrAdd(deviceId, Issue);

    public void Dispose()
    {
        foreach (var leaf in _leaves.Values)
        {
            leaf.Dispose();
        }

        _root.Dispose();
    }

    private X509Certificate2 Issue(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + commonName, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        using var signed = request.Create(_root, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30), serial);
        return signed.CopyWithPrivateKey(key);
    }

    private static async Task<string> EtagAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        (await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("etag").GetString()!;
}
