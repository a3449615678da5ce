using DeviceFabric.Security;

namespace DeviceFabric.Provisioning;

/// <summary>
/// Decides whether a registering device proved an enrollment, as DPS does: a SAS token for
/// <c>{idScope}/registrations/{registrationId}</c>, unexpired, signed with its individual enrollment's key or with the
/// key a symmetric-key group derives for the registration id; or a TLS client certificate its individual enrollment
/// holds. Pure: it changes nothing.
/// </summary>
internal static class RegistrationAuthenticator
{
    public static RegistrationAttestation Authenticate(
        string registrationId,
        string idScope,
        ProvisioningCredentials credentials,
        Enrollment? individual,
        IReadOnlyList<GroupKeys> groups,
        IReadOnlyList<(string GroupId, CertificateTrust Trust)> certificateGroups,
        DateTimeOffset now,
        TimeSpan clockSkew)
    {
        if (!string.Equals(credentials.IdScope, idScope, StringComparison.OrdinalIgnoreCase))
        {
            return RegistrationAttestation.Refused("unknown ID scope");
        }

        if (credentials.SasToken is { Length: > 0 } text)
        {
            return Sas(registrationId, idScope, text, individual, groups, now, clockSkew);
        }

        if (credentials.CertificateThumbprints is { Count: > 0 } thumbprints
            && individual is { Attestation.Type: AttestationType.X509 } enrolled
            && new[] { enrolled.Attestation.PrimaryCertificate, enrolled.Attestation.SecondaryCertificate }
                .Any(c => c is not null && thumbprints.Any(t => t.Equals(c.Sha1Thumbprint, StringComparison.OrdinalIgnoreCase) || t.Equals(c.Sha256Thumbprint, StringComparison.OrdinalIgnoreCase))))
        {
            return new RegistrationAttestation(true, null, EnrollmentKind.Individual, registrationId);
        }

        if (individual is null && credentials.CertificateChain is { Count: > 0 } chain)
        {
            return GroupCertificate(registrationId, chain, certificateGroups, now);
        }

        return RegistrationAttestation.Refused(credentials.CertificateThumbprints is { Count: > 0 } ? "certificate not enrolled" : "no credentials");
    }

    /// <summary>An X.509 group's device: the leaf's CN is the registration id and its chain ends at one of the group's CAs.</summary>
    private static RegistrationAttestation GroupCertificate(
        string registrationId, IReadOnlyList<byte[]> chain, IReadOnlyList<(string GroupId, CertificateTrust Trust)> certificateGroups, DateTimeOffset now)
    {
        using var check = ClientCertificateCheck.Load(chain, out var refusal);
        if (check is null)
        {
            return RegistrationAttestation.Refused(refusal!);
        }

        if (!string.Equals(check.CommonName, registrationId, StringComparison.Ordinal))
        {
            return RegistrationAttestation.Refused("certificate common name is not the registration id");
        }

        foreach (var (groupId, trust) in certificateGroups)
        {
            if (trust.Authorities.Count > 0 && check.ChainToAuthority(trust, now, out _) is { } built)
            {
                if (ClientCertificateCheck.Revoked(built, trust) is { } revoked)
                {
                    return RegistrationAttestation.Refused(revoked);
                }

                return new RegistrationAttestation(true, null, EnrollmentKind.Group, groupId, check.Identities[0].NotAfter, check.Identities[0].Sha256Thumbprint);
            }
        }

        return RegistrationAttestation.Refused("certificate chain ends at no enabled X.509 group's CA");
    }

    private static RegistrationAttestation Sas(
        string registrationId, string idScope, string text, Enrollment? individual, IReadOnlyList<GroupKeys> groups, DateTimeOffset now, TimeSpan clockSkew)
    {
        if (!SharedAccessSignature.TryParse(text, out var token, out var error))
        {
            return RegistrationAttestation.Refused("malformed token: " + error);
        }

        if (token.IsExpired(now, clockSkew))
        {
            return RegistrationAttestation.Refused("token expired");
        }

        if (!string.Equals(token.Resource, $"{idScope}/registrations/{registrationId}", StringComparison.OrdinalIgnoreCase))
        {
            return RegistrationAttestation.Refused("token for another registration");
        }

        if (individual is { Attestation: { Type: AttestationType.SymmetricKey } keys })
        {
            return token.IsSignedWith(keys.PrimaryKey!) || token.IsSignedWith(keys.SecondaryKey!)
                ? new RegistrationAttestation(true, null, EnrollmentKind.Individual, registrationId, token.ExpiresAt)
                : RegistrationAttestation.Refused("signature does not match the enrollment's keys");
        }

        foreach (var group in groups)
        {
            if (token.IsSignedWith(ProvisioningKeys.Derive(group.PrimaryKey, registrationId)) || token.IsSignedWith(ProvisioningKeys.Derive(group.SecondaryKey, registrationId)))
            {
                return new RegistrationAttestation(true, null, EnrollmentKind.Group, group.GroupId, token.ExpiresAt);
            }
        }

        return RegistrationAttestation.Refused(individual is null ? "no enrollment matches" : "signature does not match the enrollment's keys");
    }
}
