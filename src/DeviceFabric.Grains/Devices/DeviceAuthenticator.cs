using DeviceFabric.Security;

namespace DeviceFabric.Devices;

/// <summary>
/// Decides whether a connect attempt may proceed, from the device's stored identity: a SAS token signed with the
/// device's key or with a hub policy that has DeviceConnect, for this device on the host the device named; or a client
/// certificate whose thumbprint the device registered. Pure: it changes nothing.
/// </summary>
internal static class DeviceAuthenticator
{
    public static async Task<DeviceAuthResult> AuthenticateAsync(
        string deviceId,
        DeviceState state,
        DeviceCredentials credentials,
        DateTimeOffset now,
        TimeSpan clockSkew,
        Func<Task<IReadOnlyList<SharedAccessPolicy>>> policies)
    {
        if (!state.Exists)
        {
            return DeviceAuthResult.Refused("unknown device");
        }

        if (state.Status == DeviceStatus.Disabled)
        {
            return DeviceAuthResult.Refused("device disabled");
        }

        if (credentials.SasToken is { Length: > 0 } text)
        {
            return await SasAsync(deviceId, state, credentials.HostName, text, now, clockSkew, policies);
        }

        if (credentials.CertificateThumbprints is { Count: > 0 } thumbprints)
        {
            return X509(state, thumbprints);
        }

        return DeviceAuthResult.Refused("no credentials");
    }

    private static async Task<DeviceAuthResult> SasAsync(
        string deviceId,
        DeviceState state,
        string hostName,
        string text,
        DateTimeOffset now,
        TimeSpan clockSkew,
        Func<Task<IReadOnlyList<SharedAccessPolicy>>> policies)
    {
        if (!SharedAccessSignature.TryParse(text, out var token, out var error))
        {
            return DeviceAuthResult.Refused("malformed token: " + error);
        }

        if (token.IsExpired(now, clockSkew))
        {
            return DeviceAuthResult.Refused("token expired");
        }

        if (!TokenScope.Covers(token.Resource, $"{hostName}/devices/{deviceId}"))
        {
            return DeviceAuthResult.Refused("token for another device or hub");
        }

        if (token.KeyName is not null)
        {
            var policy = (await policies()).FirstOrDefault(p => p.KeyName == token.KeyName);
            return policy is not null && policy.Rights.HasFlag(AccessRights.DeviceConnect)
                && (token.IsSignedWith(policy.PrimaryKey) || token.IsSignedWith(policy.SecondaryKey))
                ? new DeviceAuthResult(true, null, state.GenerationId, "policy", token.ExpiresAt)
                : DeviceAuthResult.Refused("policy token not valid for DeviceConnect");
        }

        var auth = state.Authentication;
        return auth.Type == DeviceAuthenticationType.Sas
            && ((auth.PrimaryKey is { } primary && token.IsSignedWith(primary)) || (auth.SecondaryKey is { } secondary && token.IsSignedWith(secondary)))
            ? new DeviceAuthResult(true, null, state.GenerationId, "sas", token.ExpiresAt)
            : DeviceAuthResult.Refused("signature does not match the device's keys");
    }

    private static DeviceAuthResult X509(DeviceState state, IReadOnlyList<string> thumbprints)
    {
        var auth = state.Authentication;
        var registered = new[] { auth.PrimaryThumbprint, auth.SecondaryThumbprint };
        return auth.Type == DeviceAuthenticationType.SelfSigned
            && thumbprints.Any(t => registered.Any(r => r is not null && string.Equals(r, t, StringComparison.OrdinalIgnoreCase)))
            ? new DeviceAuthResult(true, null, state.GenerationId, "x509")
            : DeviceAuthResult.Refused("certificate thumbprint not registered for the device");
    }
}
