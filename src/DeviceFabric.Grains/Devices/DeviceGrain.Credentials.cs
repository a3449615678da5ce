using DeviceFabric.Security;

namespace DeviceFabric.Devices;

/// <summary>
/// The device's credentials: checking a connect against them, and rolling them over. A rollover ends the live session
/// only if it authenticated with the key or certificate that was replaced; a session that used the other one stays up.
/// </summary>
internal sealed partial class DeviceGrain
{
    public async Task<DeviceAuthResult> AuthenticateAsync(DeviceCredentials credentials, CancellationToken cancellationToken = default)
    {
        var result = await DeviceAuthenticator.AuthenticateAsync(
            _deviceId,
            state.State,
            credentials,
            clock.Time.GetUtcNow(),
            hubOptions.Value.TokenClockSkew,
            () => GrainFactory.GetGrain<IHubGrain>(_hub).GetAccessPoliciesAsync(cancellationToken),
            () => GrainFactory.GetGrain<IHubCertificatesGrain>(_hub).GetTrustAsync());
        if (credentials.CertificateChain is { Count: > 0 } && credentials.SasToken is null && state.State.Exists)
        {
            securityInstruments.CertificateChecked(state.State.Authentication.Type.ToWire(), result.Accepted);
        }

        return result;
    }

    public async Task<DeviceIdentity> RegenerateKeyAsync(KeyRollover rollover, string? ifMatch, CancellationToken cancellationToken = default)
    {
        ThrowUnlessExistsAndMatches(ifMatch);
        var s = state.State;
        var previous = s.Authentication;
        if (previous.Type != DeviceAuthenticationType.Sas)
        {
            throw new DeviceFabricException(
                DeviceFabricErrorCode.ArgumentInvalid,
                $"Device {_deviceId} authenticates with {previous.Type.ToWire()}; only sas devices have keys to regenerate.");
        }

        var (primary, secondary) = rollover.Apply(previous.PrimaryKey!, previous.SecondaryKey!, SymmetricKeys.Generate);
        s.Authentication = previous with { PrimaryKey = primary, SecondaryKey = secondary };
        s.Version++;
        try
        {
            await SaveAsync(cancellationToken);
        }
        catch
        {
            s.Authentication = previous;
            s.Version--;
            throw;
        }

        await CredentialsReplacedAsync(previous, SecurityAuditKind.DeviceKeyRegenerated, rollover);
        return Identity();
    }

    /// <summary>
    /// Keeps the client certificate a session presented (its thumbprint and expiry) in the device's catalog row, for
    /// the expiring-certificates list; the row is written only when the certificate changed.
    /// </summary>
    private async Task RememberCertificateAsync(SessionCredential? credential, CancellationToken cancellationToken)
    {
        if (credential?.Chain is not [var leaf, ..] || leaf.Sha1Thumbprint == state.State.CertificateThumbprint)
        {
            return;
        }

        state.State.CertificateThumbprint = leaf.Sha1Thumbprint;
        state.State.CertificateExpiry = leaf.NotAfter;
        try
        {
            await Shard.UpsertAsync(Entry(), cancellationToken);
        }
        catch (Exception ex)
        {
            LogConnectionStateLost(logger, ex, _hub, _deviceId);
        }
    }

    /// <summary>Ends the live session if its credential is gone, and records the change in the hub's audit history.</summary>
    private async Task CredentialsReplacedAsync(DeviceAuthentication previous, SecurityAuditKind kind, KeyRollover? rollover = null)
    {
        var current = state.State.Authentication;
        if (_live is { } live && !StillValid(live.Session.Credential, current))
        {
            await EndLiveSessionAsync("the credential it authenticated with was replaced");
        }

        var detail = rollover?.Describe() ?? Describe(previous, current);
        await SecurityNotices.AuditAsync(GrainFactory, _hub, kind, _deviceId, detail, logger);
    }

    /// <summary>
    /// Whether the credential a connection was accepted with still holds as it attaches: a change of the device's own
    /// keys or thumbprints stored between the CONNECT's check and the attach would otherwise be missed, since nobody
    /// held the session yet to close it. Shared credentials (policy keys, CAs, revocations) are the front end's to
    /// check: it remembers recent withdrawals for connections it registers after them.
    /// </summary>
    private bool StillHolds(SessionCredential? credential) =>
        credential?.Kind is null or CredentialKind.PolicyKey || StillValid(credential, state.State.Authentication);

    /// <summary>
    /// Whether a session that authenticated with <paramref name="credential"/> may stay up under the device's new
    /// credentials. Policy tokens do not depend on the device's keys; a session of unknown credential ends.
    /// </summary>
    private static bool StillValid(SessionCredential? credential, DeviceAuthentication current) => credential?.Kind switch
    {
        CredentialKind.PolicyKey => true,
        CredentialKind.DeviceKey => current.Type == DeviceAuthenticationType.Sas && (credential.IsKey(current.PrimaryKey) || credential.IsKey(current.SecondaryKey)),
        CredentialKind.SelfSignedCertificate => current.Type == DeviceAuthenticationType.SelfSigned
            && (string.Equals(credential.Fingerprint, current.PrimaryThumbprint, StringComparison.OrdinalIgnoreCase)
                || string.Equals(credential.Fingerprint, current.SecondaryThumbprint, StringComparison.OrdinalIgnoreCase)),
        CredentialKind.CertificateAuthority => current.Type == DeviceAuthenticationType.CertificateAuthority,
        _ => false,
    };

    /// <summary>What changed, without a secret: which keys or thumbprints were replaced.</summary>
    private static string Describe(DeviceAuthentication before, DeviceAuthentication after)
    {
        if (before.Type != after.Type)
        {
            return $"authentication {before.Type.ToWire()} -> {after.Type.ToWire()}";
        }

        var changed = new List<string>(2);
        if (before.PrimaryKey != after.PrimaryKey || before.PrimaryThumbprint != after.PrimaryThumbprint)
        {
            changed.Add("primary");
        }

        if (before.SecondaryKey != after.SecondaryKey || before.SecondaryThumbprint != after.SecondaryThumbprint)
        {
            changed.Add("secondary");
        }

        return string.Join(" and ", changed) + (after.Type == DeviceAuthenticationType.Sas ? " key replaced" : " thumbprint replaced");
    }
}
