using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DeviceFabric.Security;

/// <summary>
/// An IoT Hub SAS token: <c>SharedAccessSignature sr={resource}&amp;sig={signature}&amp;se={expiry}[&amp;skn={policy}]</c>.
/// The signature covers <c>sr</c> exactly as it appears in the token (SDKs differ in how they encode it), a newline and
/// <c>se</c>, keyed with the base64-decoded key.
/// </summary>
public sealed class SharedAccessSignature
{
    /// <summary>The prefix every token starts with.</summary>
    public const string Prefix = "SharedAccessSignature ";

    private readonly string _rawResource;
    private readonly string _rawExpiry;
    private readonly byte[] _signature;

    private SharedAccessSignature(string rawResource, string rawExpiry, byte[] signature, long expiry, string? keyName)
    {
        _rawResource = rawResource;
        _rawExpiry = rawExpiry;
        _signature = signature;
        ExpiresAt = DateTimeOffset.FromUnixTimeSeconds(expiry);
        KeyName = keyName;
        Resource = Uri.UnescapeDataString(rawResource);
    }

    /// <summary>The URL-decoded resource URI the token grants access to, e.g. <c>host/devices/dev1</c>.</summary>
    public string Resource { get; }

    /// <summary>The host part of <see cref="Resource"/>: it names the hub.</summary>
    public string ResourceHost => Resource.Split('/', 2)[0];

    /// <summary>When the token stops being valid.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>The hub policy whose key signed the token, or null for a device-key token.</summary>
    public string? KeyName { get; }

    /// <summary>Parses a token, returning false (with a reason) when it is malformed.</summary>
    public static bool TryParse(string? token, [NotNullWhen(true)] out SharedAccessSignature? signature, [NotNullWhen(false)] out string? error)
    {
        signature = null;
        if (token is null || !token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length > 4096)
        {
            error = "The token does not start with 'SharedAccessSignature '.";
            return false;
        }

        string? sr = null, sig = null, se = null, skn = null;
        foreach (var pair in token.AsSpan(Prefix.Length).Split('&'))
        {
            var field = token.AsSpan(Prefix.Length)[pair];
            var equals = field.IndexOf('=');
            if (equals <= 0)
            {
                error = "The token has a field without a value.";
                return false;
            }

            var value = field[(equals + 1)..].ToString();
            switch (field[..equals])
            {
                case var k when k.Equals("sr", StringComparison.OrdinalIgnoreCase): sr = value; break;
                case var k when k.Equals("sig", StringComparison.OrdinalIgnoreCase): sig = value; break;
                case var k when k.Equals("se", StringComparison.OrdinalIgnoreCase): se = value; break;
                case var k when k.Equals("skn", StringComparison.OrdinalIgnoreCase): skn = Uri.UnescapeDataString(value); break;
                default: break;
            }
        }

        if (string.IsNullOrEmpty(sr) || string.IsNullOrEmpty(sig) || string.IsNullOrEmpty(se))
        {
            error = "The token lacks sr, sig or se.";
            return false;
        }

        if (!long.TryParse(se, NumberStyles.None, CultureInfo.InvariantCulture, out var expiry) || expiry > 253402300799)
        {
            error = "The token's se is not a number of seconds since 1970.";
            return false;
        }

        var signatureBytes = new byte[32];
        if (!Convert.TryFromBase64String(Uri.UnescapeDataString(sig), signatureBytes, out var written) || written != 32)
        {
            error = "The token's sig is not a base64 HMAC-SHA256.";
            return false;
        }

        signature = new SharedAccessSignature(sr, se, signatureBytes, expiry, string.IsNullOrEmpty(skn) ? null : skn);
        error = null;
        return true;
    }

    /// <summary>Whether the token was signed with <paramref name="base64Key"/>; a malformed key never matches.</summary>
    public bool IsSignedWith(string base64Key)
    {
        Span<byte> key = stackalloc byte[SymmetricKeys.MaxBytes];
        if (!Convert.TryFromBase64String(base64Key, key, out var keyLength))
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(key[..keyLength], Encoding.UTF8.GetBytes(string.Concat(_rawResource, "\n", _rawExpiry)), expected);
        return CryptographicOperations.FixedTimeEquals(expected, _signature);
    }

    /// <summary>Whether the token has expired at <paramref name="now"/>, allowing <paramref name="clockSkew"/>.</summary>
    public bool IsExpired(DateTimeOffset now, TimeSpan clockSkew) => ExpiresAt + clockSkew < now;

    /// <summary>Creates a token the way the Azure SDKs do (resource and signature URL-encoded).</summary>
    public static string Create(string resource, string base64Key, string? keyName, DateTimeOffset expiresAt)
    {
        var sr = Uri.EscapeDataString(resource);
        var se = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = HMACSHA256.HashData(Convert.FromBase64String(base64Key), Encoding.UTF8.GetBytes(sr + "\n" + se));
        var token = $"{Prefix}sr={sr}&sig={Uri.EscapeDataString(Convert.ToBase64String(signature))}&se={se}";
        return keyName is null ? token : $"{token}&skn={Uri.EscapeDataString(keyName)}";
    }
}
