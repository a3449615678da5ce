using System.Globalization;
using DeviceFabric.Security;

namespace DeviceFabric.Contracts.Security;

/// <summary>Maps keys, policies, certificates and audit events between the fabric's records and their REST shapes.</summary>
public static class SecurityMapper
{
    private static readonly (string Name, AccessRights Right)[] s_rights =
    [
        ("RegistryRead", AccessRights.RegistryRead),
        ("RegistryWrite", AccessRights.RegistryWrite),
        ("ServiceConnect", AccessRights.ServiceConnect),
        ("DeviceConnect", AccessRights.DeviceConnect),
    ];

    /// <summary>The rollover a <c>keyType</c> names (any case); throws <see cref="DeviceFabricErrorCode.ArgumentInvalid"/>.</summary>
    public static KeyRollover ParseRollover(string? keyType) => keyType?.ToUpperInvariant() switch
    {
        "PRIMARY" => KeyRollover.Primary,
        "SECONDARY" => KeyRollover.Secondary,
        "SWAP" => KeyRollover.Swap,
        _ => throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "keyType must be primary, secondary or swap."),
    };

    /// <summary>Rights as IoT Hub writes them, comma separated.</summary>
    public static string FormatRights(AccessRights rights) =>
        string.Join(", ", s_rights.Where(r => rights.HasFlag(r.Right)).Select(r => r.Name));

    /// <summary>Parses comma-separated rights (any case, IoT Hub's names); throws <see cref="DeviceFabricErrorCode.ArgumentInvalid"/>.</summary>
    public static AccessRights ParseRights(string? text)
    {
        var rights = AccessRights.None;
        foreach (var part in (text ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var match = s_rights.FirstOrDefault(r => string.Equals(r.Name, part, StringComparison.OrdinalIgnoreCase));
            rights |= match.Name is not null
                ? match.Right
                : throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"rights: '{part}' is not one of RegistryRead, RegistryWrite, ServiceConnect, DeviceConnect.");
        }

        return rights;
    }

    /// <summary>A policy, keys included (only owners read policies).</summary>
    public static SharedAccessPolicyJson ToJson(SharedAccessPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new SharedAccessPolicyJson { KeyName = policy.KeyName, PrimaryKey = policy.PrimaryKey, SecondaryKey = policy.SecondaryKey, Rights = FormatRights(policy.Rights) };
    }

    /// <summary>A CA certificate resource; the verification code only where it was just issued.</summary>
    public static CertificateJson ToJson(CertificateAuthorityInfo info, bool withVerificationCode = false)
    {
        ArgumentNullException.ThrowIfNull(info);
        return new CertificateJson
        {
            Id = "/certificates/" + info.Name,
            Name = info.Name,
            Etag = info.ETag,
            Type = "Microsoft.Devices/IotHubs/Certificate",
            Properties = new CertificatePropertiesJson
            {
                Subject = info.Subject,
                Expiry = Rfc1123(info.Expiry),
                Thumbprint = info.Thumbprint,
                IsVerified = info.IsVerified,
                Status = info.IsVerified ? "verified" : "unverified",
                Created = Rfc1123(info.Created),
                Updated = Rfc1123(info.Updated),
                Certificate = info.Pem,
                VerificationCode = withVerificationCode ? info.VerificationCode : null,
            },
        };
    }

    /// <summary>A revocation entry.</summary>
    public static RevocationJson ToJson(Revocation entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new RevocationJson { Thumbprint = entry.Thumbprint, SerialNumber = entry.SerialNumber, Reason = entry.Reason, RevokedAt = entry.RevokedAt, Key = entry.Key };
    }

    /// <summary>An audit event.</summary>
    public static SecurityEventJson ToJson(SecurityAuditEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new SecurityEventJson { Sequence = e.Sequence, Kind = KindName(e.Kind), Subject = e.Subject, Detail = e.Detail, Actor = e.Actor, Time = e.Time };
    }

    /// <summary>An audit kind as written on the wire: camelCase of its name.</summary>
    public static string KindName(SecurityAuditKind kind)
    {
        var name = kind.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    /// <summary>The audit kind a wire name (any case) names; throws <see cref="DeviceFabricErrorCode.ArgumentInvalid"/>.</summary>
    public static SecurityAuditKind ParseKind(string text) =>
        Enum.TryParse<SecurityAuditKind>(text, ignoreCase: true, out var kind) && Enum.IsDefined(kind) && !int.TryParse(text, out _)
            ? kind
            : throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"kind: '{text}' is not an audit event kind.");

    private static string Rfc1123(DateTimeOffset time) => time.UtcDateTime.ToString("r", CultureInfo.InvariantCulture);
}
