using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DeviceFabric.Hubs;
using Microsoft.Extensions.Options;

namespace DeviceFabric.Updates;

/// <summary>
/// The URLs devices download update files from: <c>{base}/deviceUpdate/{hub}/downloads/{sha256}?se={expiry}&amp;sig={hmac}</c>.
/// A device has no service credential, so the URL carries its own: an HMAC-SHA256 over the hub, the content and the
/// expiry, keyed by a secret derived from the manifest signing key (every silo derives the same). The content is named
/// by its hash, so a URL gives exactly one file's bytes and nothing else.
/// </summary>
public sealed class UpdateDownloadUrls
{
    private readonly Lazy<byte[]> _secret;
    private readonly IOptions<UpdateOptions> _options;
    private readonly IOptions<HubOptions> _hubs;

    /// <summary>Creates the URL maker; <paramref name="secret"/> gives the HMAC key when first needed.</summary>
    public UpdateDownloadUrls(Func<byte[]> secret, IOptions<UpdateOptions> options, IOptions<HubOptions> hubs)
    {
        _secret = new Lazy<byte[]>(secret);
        _options = options;
        _hubs = hubs;
    }

    /// <summary>The path of a file's content under the HTTPS base.</summary>
    public static string PathOf(string hub, string contentName) => $"/deviceUpdate/{Uri.EscapeDataString(hub)}/downloads/{contentName}";

    /// <summary>A URL for a file of a hub, valid until <paramref name="expiry"/>.</summary>
    public string For(string hub, UpdateFile file, DateTimeOffset expiry)
    {
        var se = expiry.ToUnixTimeSeconds();
        return $"{BaseOf(hub)}{PathOf(hub, file.ContentName)}?se={se.ToString(CultureInfo.InvariantCulture)}&sig={Signature(hub, file.ContentName, se)}";
    }

    /// <summary>Whether a download's query is a valid, unexpired signature for the content.</summary>
    public bool Verifies(string hub, string contentName, string? se, string? sig, DateTimeOffset now)
    {
        if (!long.TryParse(se, NumberStyles.None, CultureInfo.InvariantCulture, out var expiry) || sig is null || expiry < now.ToUnixTimeSeconds())
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Signature(hub, contentName, expiry));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(sig));
    }

    private string BaseOf(string hub)
    {
        var configured = _options.Value.DownloadBaseUrl;
        if (configured.Length > 0)
        {
            return configured.TrimEnd('/');
        }

        var host = _hubs.Value.All.FirstOrDefault(h => h.Name.Equals(hub, StringComparison.OrdinalIgnoreCase))?.HostName ?? "localhost";
        var port = _options.Value.HttpsPort;
        return port == 443 ? $"https://{host}" : $"https://{host}:{port.ToString(CultureInfo.InvariantCulture)}";
    }

    private string Signature(string hub, string contentName, long expiry)
    {
        var text = string.Join('\n', hub.ToLowerInvariant(), contentName, expiry.ToString(CultureInfo.InvariantCulture));
        return Convert.ToHexStringLower(HMACSHA256.HashData(_secret.Value, Encoding.UTF8.GetBytes(text)));
    }
}
