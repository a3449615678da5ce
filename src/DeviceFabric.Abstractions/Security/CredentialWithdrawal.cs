namespace DeviceFabric.Security;

/// <summary>
/// Tells every front end that credentials of a hub stopped being valid, so it closes the live sessions that used them
/// (published on <see cref="Streams.FabricStreams.CredentialsNamespace"/>, keyed by hub). Either a policy's keys changed
/// (sessions of that policy whose key is not among <see cref="RemainingKeyFingerprints"/> close) or certificates were
/// withdrawn (sessions that presented one of <see cref="Certificates"/> anywhere in their chain close).
/// </summary>
/// <param name="Hub">The hub.</param>
/// <param name="PolicyName">The policy whose keys changed, or null.</param>
/// <param name="RemainingKeyFingerprints">The policy's keys that still work (none when it was deleted).</param>
/// <param name="Certificates">Thumbprints, or serial numbers as <c>serial:{hex}</c>, of withdrawn certificates.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.CredentialWithdrawal")]
public sealed record CredentialWithdrawal(
    [property: Id(0)] string Hub,
    [property: Id(1)] string? PolicyName,
    [property: Id(2)] IReadOnlyList<string> RemainingKeyFingerprints,
    [property: Id(3)] IReadOnlyList<string> Certificates)
{
    /// <summary>Whether a session that authenticated with <paramref name="credential"/> must close.</summary>
    public bool Ends(SessionCredential? credential)
    {
        if (credential is null)
        {
            return false;
        }

        if (PolicyName is not null)
        {
            return credential.Kind == CredentialKind.PolicyKey
                && string.Equals(credential.PolicyName, PolicyName, StringComparison.Ordinal)
                && !RemainingKeyFingerprints.Contains(credential.Fingerprint, StringComparer.Ordinal);
        }

        return Certificates.Any(named => credential.Presented(c => named.StartsWith("serial:", StringComparison.Ordinal)
            ? string.Equals(CertificateNames.NormalizeSerial(named[7..]), CertificateNames.NormalizeSerial(c.SerialNumber), StringComparison.Ordinal)
            : c.HasThumbprint(named)));
    }
}
