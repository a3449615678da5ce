using System.Security.Cryptography;
using System.Text;

namespace DeviceFabric.Provisioning;

/// <summary>DPS's keys: 64 random bytes when generated, and a group device's key derived from the group's.</summary>
public static class ProvisioningKeys
{
    /// <summary>A new key of 64 random bytes, as DPS generates.</summary>
    public static string Generate() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));

    /// <summary>A group member's key: base64 of HMAC-SHA256 of its registration id, keyed with the group key's bytes.</summary>
    public static string Derive(string groupKey, string registrationId) =>
        Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(groupKey), Encoding.UTF8.GetBytes(registrationId)));
}
