using System.Security.Cryptography;

namespace DeviceFabric.Security;

/// <summary>Symmetric keys as IoT Hub uses them: base64 text of 16 to 64 random bytes.</summary>
public static class SymmetricKeys
{
    /// <summary>The fewest bytes a key may decode to.</summary>
    public const int MinBytes = 16;

    /// <summary>The most bytes a key may decode to.</summary>
    public const int MaxBytes = 64;

    /// <summary>A new key of 32 random bytes.</summary>
    public static string Generate() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>Whether <paramref name="key"/> is base64 of 16 to 64 bytes.</summary>
    public static bool IsValid(string? key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 100)
        {
            return false;
        }

        Span<byte> buffer = stackalloc byte[75];
        return Convert.TryFromBase64String(key, buffer, out var written) && written is >= MinBytes and <= MaxBytes;
    }
}
