using System.Diagnostics.CodeAnalysis;

namespace DeviceFabric.Mqtt.Provisioning;

/// <summary>
/// DPS's MQTT username: <c>{idScope}/registrations/{registrationId}/api-version=...[&amp;ClientVersion=...]</c>, with no
/// <c>?</c> before the parameters (a <c>?</c> is tolerated). It tells a registering device from a hub's device.
/// </summary>
internal sealed record DpsUsername(string IdScope, string RegistrationId)
{
    public static bool TryParse(string? username, [NotNullWhen(true)] out DpsUsername? parsed)
    {
        parsed = null;
        if (string.IsNullOrEmpty(username) || username.Length > 2048)
        {
            return false;
        }

        var parts = username.Split('/');
        if (parts.Length != 4 || parts[1] != "registrations" || parts[0].Length == 0 || parts[2].Length == 0)
        {
            return false;
        }

        var hasApiVersion = parts[3].TrimStart('?').Split('&').Any(p => p.StartsWith("api-version=", StringComparison.Ordinal) && p.Length > "api-version=".Length);
        if (!hasApiVersion)
        {
            return false;
        }

        parsed = new DpsUsername(parts[0], parts[2]);
        return true;
    }
}
