using System.Security.Cryptography;
using System.Text;

namespace DeviceFabric.Security;

/// <summary>
/// Names a symmetric key without revealing it: the first 8 bytes of its SHA-256, in hex. Sessions remember which key
/// they used by this, so a replaced key can be matched to its sessions while the key itself stays only in its owner.
/// </summary>
public static class KeyFingerprint
{
    /// <summary>The fingerprint of <paramref name="key"/>.</summary>
    public static string Of(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        return Convert.ToHexString(hash[..8]);
    }
}
