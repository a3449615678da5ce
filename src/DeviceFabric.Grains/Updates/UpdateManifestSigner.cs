using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace DeviceFabric.Updates;

/// <summary>
/// Signs the update manifests devices get, as Device Update does: a JWS (RS256, compact) whose payload is
/// <c>{"sha256": base64(SHA-256(updateManifest))}</c>. The RSA key is made at the first run, in the update directory so
/// a cluster's silos share it, and its public half is published (<see cref="PublicJwk"/>) for agents to verify with.
/// Device Update's own header also carries its signing key signed by Microsoft's root key (<c>sjwk</c>); this one names
/// the fabric's key by <c>kid</c> instead.
/// </summary>
internal sealed class UpdateManifestSigner(IOptions<UpdateOptions> options)
{
    private const string KeyFile = "manifest-signing-key.pem";
    private readonly Lazy<RSA> _key = new(() => LoadOrCreate(options.Value.Directory));

    /// <summary>The JWS of an update manifest.</summary>
    public string Sign(string updateManifest)
    {
        ArgumentNullException.ThrowIfNull(updateManifest);
        var header = new JsonObject { ["alg"] = "RS256", ["kid"] = KeyId() }.ToJsonString();
        var payload = new JsonObject { ["sha256"] = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(updateManifest))) }.ToJsonString();
        var signingInput = Base64Url(Encoding.UTF8.GetBytes(header)) + "." + Base64Url(Encoding.UTF8.GetBytes(payload));
        var signature = _key.Value.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    /// <summary>The public key as a JSON Web Key.</summary>
    public JsonObject PublicJwk()
    {
        var parameters = _key.Value.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["alg"] = "RS256",
            ["use"] = "sig",
            ["kid"] = KeyId(),
            ["n"] = Base64Url(parameters.Modulus!),
            ["e"] = Base64Url(parameters.Exponent!),
        };
    }

    /// <summary>
    /// A secret derived from the signing key for another purpose (the download URLs' HMAC key): every silo sharing the
    /// update directory derives the same one, and it changes with the key.
    /// </summary>
    public byte[] DeriveSecret(string purpose) =>
        HMACSHA256.HashData(_key.Value.ExportPkcs8PrivateKey(), Encoding.UTF8.GetBytes(purpose));

    /// <summary>The key's id: the SHA-256 of its public key, base64url.</summary>
    private string KeyId() => Base64Url(SHA256.HashData(_key.Value.ExportSubjectPublicKeyInfo()))[..16];

    private static RSA LoadOrCreate(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, KeyFile);
        var rsa = RSA.Create();
        if (!File.Exists(path))
        {
            // Written beside it and moved into place, so a crash never leaves half a key.
            using var created = RSA.Create(3072);
            var written = path + "." + Guid.NewGuid().ToString("N");
            File.WriteAllText(written, created.ExportPkcs8PrivateKeyPem());
            try
            {
                File.Move(written, path);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another silo made it first: use theirs.
                File.Delete(written);
            }
        }

        rsa.ImportFromPem(File.ReadAllText(path));
        return rsa;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
