using DeviceFabric.Security;

namespace DeviceFabric.Devices;

/// <summary>
/// Decides whether a connect attempt may proceed, from the device's stored identity: a SAS token signed with the
/// device's key or with a hub policy that has DeviceConnect, for this device on the host the device named; a client
/// certificate whose thumbprint the device registered; or a chain to one of the hub's verified CAs whose leaf names the
/// device. Certificates must be within their validity and on no revocation list. Pure: it changes nothing. An accepted
/// answer names the credential used, so a later rollover ends the session only if it replaces that one.
/// </summary>
internal static class DeviceAuthenticator
{
    public static async Task<DeviceAuthResult> AuthenticateAsync(
        string deviceId,
        DeviceState state,
        DeviceCredentials credentials,
        DateTimeOffset now,
        TimeSpan clockSkew,
        Func<Task<IReadOnlyList<SharedAccessPolicy>>> policies,
        Func<Task<CertificateTrust>> trust)
    {
        if (!state.Exists)
        {
            return DeviceAuthResult.Refused("unknown device");
        }

        if (state.Status == DeviceStatus.Disabled || state.DeviceDisabled)
        {
            return DeviceAuthResult.Refused("device disabled");
        }

        if (credentials.SasToken is { Length: > 0 } text)
        {
            return await SasAsync(deviceId, state, credentials.HostName, text, now, clockSkew, policies);
        }

        if (credentials.CertificateChain is { Count: > 0 } chain)
        {
            return await CertificateAsync(deviceId, state, chain, now, trust);
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

        if (!TokenScope.Covers(token.Resource, Modules.ModuleIds.TokenResource(hostName, deviceId)))
        {
            return DeviceAuthResult.Refused("token for another device or hub");
        }

        if (token.KeyName is not null)
        {
            var policy = (await policies()).FirstOrDefault(p => p.KeyName == token.KeyName);
            var policyKey = policy is null || !policy.Rights.HasFlag(AccessRights.DeviceConnect) ? null : SignedWith(token, policy.PrimaryKey, policy.SecondaryKey);
            return policyKey is not null
                ? Accepted(state, "policy", SessionCredential.PolicyKey(policy!.KeyName, policyKey), token.ExpiresAt)
                : DeviceAuthResult.Refused("policy token not valid for DeviceConnect");
        }

        var auth = state.Authentication;
        var key = auth.Type == DeviceAuthenticationType.Sas ? SignedWith(token, auth.PrimaryKey, auth.SecondaryKey) : null;
        return key is not null
            ? Accepted(state, "sas", SessionCredential.DeviceKey(key), token.ExpiresAt)
            : DeviceAuthResult.Refused("signature does not match the device's keys");
    }

    private static async Task<DeviceAuthResult> CertificateAsync(string deviceId, DeviceState state, IReadOnlyList<byte[]> presented, DateTimeOffset now, Func<Task<CertificateTrust>> trust)
    {
        var type = state.Authentication.Type;
        if (type is not (DeviceAuthenticationType.SelfSigned or DeviceAuthenticationType.CertificateAuthority))
        {
            return DeviceAuthResult.Refused("the device does not authenticate with certificates");
        }

        using var check = ClientCertificateCheck.Load(presented, out var refusal);
        if (check is null)
        {
            return DeviceAuthResult.Refused(refusal!);
        }

        var leaf = check.Identities[0];
        var hubTrust = await trust();
        if (type == DeviceAuthenticationType.SelfSigned)
        {
            var auth = state.Authentication;
            var registered = new[] { auth.PrimaryThumbprint, auth.SecondaryThumbprint }.FirstOrDefault(t => t is not null && leaf.HasThumbprint(t));
            refusal = registered is null ? "certificate thumbprint not registered for the device"
                : check.Validity(now) ?? ClientCertificateCheck.Revoked([leaf], hubTrust);
            return refusal is null
                ? Accepted(state, "x509", new SessionCredential(CredentialKind.SelfSignedCertificate, registered!, Chain: [leaf]), leaf.NotAfter)
                : DeviceAuthResult.Refused(refusal);
        }

        if (!string.Equals(check.CommonName, deviceId, StringComparison.Ordinal))
        {
            return DeviceAuthResult.Refused("certificate common name is not the device id");
        }

        var chain = check.ChainToAuthority(hubTrust, now, out refusal);
        refusal ??= ClientCertificateCheck.Revoked(chain!, hubTrust);
        return refusal is null
            ? Accepted(state, "x509", new SessionCredential(CredentialKind.CertificateAuthority, chain![^1].Sha256Thumbprint, Chain: chain), chain.Min(c => c.NotAfter))
            : DeviceAuthResult.Refused(refusal);
    }

    private static DeviceAuthResult Accepted(DeviceState state, string method, SessionCredential credential, DateTimeOffset? expiresAt) =>
        new(true, null, state.GenerationId, method, expiresAt, credential);

    /// <summary>The key, primary first, that signed the token, or null.</summary>
    private static string? SignedWith(SharedAccessSignature token, string? primary, string? secondary) =>
        primary is not null && token.IsSignedWith(primary) ? primary
        : secondary is not null && token.IsSignedWith(secondary) ? secondary
        : null;
}
