namespace DeviceFabric.Security;

/// <summary>
/// Which key or certificate a session authenticated with, so that replacing or revoking one ends exactly the sessions
/// that used it and no others. It holds fingerprints and public certificate identities, never a secret.
/// </summary>
/// <param name="Kind">What kind of credential it is.</param>
/// <param name="Fingerprint">For keys, <see cref="KeyFingerprint.Of"/> of the key; for certificates, the registered thumbprint or the leaf's SHA-256 thumbprint.</param>
/// <param name="PolicyName">The hub policy whose key signed the token, for <see cref="CredentialKind.PolicyKey"/>.</param>
/// <param name="Chain">The certificates presented, leaf first, for certificate credentials.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.SessionCredential")]
public sealed record SessionCredential(
    [property: Id(0)] CredentialKind Kind,
    [property: Id(1)] string Fingerprint,
    [property: Id(2)] string? PolicyName = null,
    [property: Id(3)] IReadOnlyList<CertificateIdentity>? Chain = null)
{
    /// <summary>A session that authenticated with a token signed with the device's own key.</summary>
    public static SessionCredential DeviceKey(string key) => new(CredentialKind.DeviceKey, KeyFingerprint.Of(key));

    /// <summary>A session that authenticated with a token signed with a hub policy's key.</summary>
    public static SessionCredential PolicyKey(string policyName, string key) => new(CredentialKind.PolicyKey, KeyFingerprint.Of(key), policyName);

    /// <summary>Whether the credential is <paramref name="key"/> (by fingerprint).</summary>
    public bool IsKey(string? key) => key is not null && string.Equals(Fingerprint, KeyFingerprint.Of(key), StringComparison.Ordinal);

    /// <summary>Whether any certificate of the chain is the one <paramref name="entry"/> names.</summary>
    public bool Presented(Func<CertificateIdentity, bool> entry) => Chain?.Any(entry) == true;
}
