using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using DeviceFabric.Devices;
using DeviceFabric.Hubs;
using DeviceFabric.Json;
using DeviceFabric.Security;

namespace DeviceFabric.Provisioning;

/// <summary>
/// What an enrollment must be before it is stored, as DPS checks: ids by its character rules, keys of 16 to 64 bytes
/// (generated when left out), certificates that parse, hubs of this fabric, one hub for a static policy, a webhook for
/// a custom one, an initial twin of tags and desired properties only. A failure is a 400 naming the field.
/// </summary>
internal static partial class EnrollmentRules
{
    public const int MaxIdLength = 128;

    /// <summary>DPS's registration ids: lower-case letters, digits, <c>-._:</c>, ending in a letter, digit or '-'.</summary>
    public static bool IsRegistrationId(string? id) => id is { Length: > 0 and <= MaxIdLength } && RegistrationIdPattern().IsMatch(id);

    /// <summary>Enrollment group ids: letters, digits and <c>-._:</c>.</summary>
    public static bool IsGroupId(string? id) => id is { Length: > 0 and <= MaxIdLength } && GroupIdPattern().IsMatch(id);

    /// <summary>The enrollment as it will be stored: checked, with generated keys filled in and certificates read.</summary>
    public static Enrollment Normalize(Enrollment enrollment, HubOptions hubs)
    {
        var idOk = enrollment.Kind == EnrollmentKind.Individual ? IsRegistrationId(enrollment.Id) : IsGroupId(enrollment.Id);
        if (!idOk)
        {
            throw Invalid(enrollment.Kind == EnrollmentKind.Individual
                ? "registrationId must be 1-128 lower-case letters, digits, '-', '.', '_' or ':', ending in a letter, digit or '-'."
                : "enrollmentGroupId must be 1-128 letters, digits, '-', '.', '_' or ':'.");
        }

        if (enrollment.DeviceId is not null && (enrollment.Kind == EnrollmentKind.Group || !DeviceIdRules.IsValid(enrollment.DeviceId)))
        {
            throw Invalid(enrollment.Kind == EnrollmentKind.Group ? "An enrollment group cannot name a deviceId." : "deviceId does not follow IoT Hub's rules.");
        }

        CheckHubs(enrollment, hubs);
        if (enrollment.InitialTwinJson is { } twin)
        {
            CheckInitialTwin(twin);
        }

        return enrollment with { Attestation = NormalizeAttestation(enrollment) };
    }

    private static Attestation NormalizeAttestation(Enrollment enrollment)
    {
        var attestation = enrollment.Attestation;
        if (attestation.Type == AttestationType.SymmetricKey)
        {
            return attestation with { PrimaryKey = KeyOrNew(attestation.PrimaryKey, "primaryKey"), SecondaryKey = KeyOrNew(attestation.SecondaryKey, "secondaryKey") };
        }

        if (enrollment.Kind == EnrollmentKind.Group)
        {
            return NormalizeGroupCertificates(attestation);
        }

        if (attestation.PrimaryCaReference is not null)
        {
            throw Invalid("An individual X.509 enrollment takes attestation.x509.clientCertificates, not caReferences.");
        }

        return attestation with
        {
            PrimaryCertificate = Read(attestation.PrimaryCertificate?.Pem ?? throw Invalid("An X.509 enrollment needs attestation.x509.clientCertificates.primary.certificate.")),
            SecondaryCertificate = attestation.SecondaryCertificate is { } secondary ? Read(secondary.Pem) : null,
        };
    }

    /// <summary>A group's CAs: signing certificates that must be CA certificates, or names of hubs' verified CAs.</summary>
    private static Attestation NormalizeGroupCertificates(Attestation attestation)
    {
        if (attestation.PrimaryCaReference is { } primary)
        {
            foreach (var name in new[] { primary, attestation.SecondaryCaReference }.OfType<string>())
            {
                if (name.Length is 0 or > 64 || !GroupIdPattern().IsMatch(name))
                {
                    throw Invalid("attestation.x509.caReferences names a certificate: 1-64 letters, digits, '.', '_', ':' or '-'.");
                }
            }

            return attestation;
        }

        var signing = new[] { attestation.PrimaryCertificate, attestation.SecondaryCertificate }.OfType<CertificateAttestation>().Select(c => ReadAuthority(c.Pem)).ToList();
        return attestation with { PrimaryCertificate = signing[0], SecondaryCertificate = signing.Count > 1 ? signing[1] : null };
    }

    private static CertificateAttestation ReadAuthority(string text)
    {
        var read = Read(text);
        using var certificate = X509CertificateLoader.LoadCertificate(Der(text));
        return certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is { CertificateAuthority: true }
            ? read
            : throw Invalid("attestation.x509.signingCertificates must be CA certificates (basic constraints CA).");
    }

    private static void CheckHubs(Enrollment enrollment, HubOptions hubs)
    {
        foreach (var host in enrollment.IotHubs ?? [])
        {
            if (!hubs.All.Any(h => string.Equals(h.HostName, host, StringComparison.OrdinalIgnoreCase)))
            {
                throw Invalid($"iotHubs names {host}, which is not a hub of this fabric.");
            }
        }

        switch (enrollment.AllocationPolicy)
        {
            case AllocationPolicy.Static when enrollment.IotHubs is not { Count: 1 }:
                throw Invalid("A static allocation policy needs exactly one hub in iotHubs.");
            case AllocationPolicy.Custom when enrollment.CustomAllocation is not { } custom
                || !Uri.TryCreate(custom.WebhookUrl, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"):
                throw Invalid("A custom allocation policy needs customAllocationDefinition.webhookUrl, an absolute http(s) URL.");
            default:
                break;
        }
    }

    private static void CheckInitialTwin(string json)
    {
        var twin = StrictJson.ParseObject(json, "initialTwin");
        foreach (var (name, value) in twin)
        {
            if (name == "properties" && value is System.Text.Json.Nodes.JsonObject properties)
            {
                if (properties.Any(p => p.Key != "desired"))
                {
                    throw Invalid("initialTwin.properties may hold desired only.");
                }
            }
            else if (name != "tags")
            {
                throw Invalid($"initialTwin may hold tags and properties.desired only, not {name}.");
            }
        }
    }

    private static string KeyOrNew(string? key, string name) =>
        string.IsNullOrEmpty(key) ? ProvisioningKeys.Generate()
        : SymmetricKeys.IsValid(key) ? key
        : throw Invalid($"attestation.symmetricKey.{name} must be base64 of 16 to 64 bytes.");

    /// <summary>The DER of a certificate given as PEM or as base64 DER (already checked by <see cref="Read"/>).</summary>
    public static byte[] Der(string text)
    {
        if (!text.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            return Convert.FromBase64String(text);
        }

        using var certificate = X509Certificate2.CreateFromPem(text);
        return certificate.RawData;
    }

    /// <summary>A certificate given as PEM or as base64 DER, as DPS takes either.</summary>
    private static CertificateAttestation Read(string text)
    {
        try
        {
            using var certificate = text.Contains("-----BEGIN", StringComparison.Ordinal)
                ? X509Certificate2.CreateFromPem(text)
                : X509CertificateLoader.LoadCertificate(Convert.FromBase64String(text));
            return new CertificateAttestation(
                text,
                certificate.Subject,
                certificate.Thumbprint,
                certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256),
                certificate.Issuer,
                certificate.NotBefore.ToUniversalTime(),
                certificate.NotAfter.ToUniversalTime(),
                certificate.SerialNumber);
        }
        catch (Exception ex) when (ex is FormatException or System.Security.Cryptography.CryptographicException)
        {
            throw Invalid("An X.509 attestation certificate is neither PEM nor base64 DER of a certificate.");
        }
    }

    private static DeviceFabricException Invalid(string message) => new(DeviceFabricErrorCode.ArgumentInvalid, message);

    [GeneratedRegex("^[a-z0-9._:-]*[a-z0-9-]$", RegexOptions.CultureInvariant)]
    private static partial Regex RegistrationIdPattern();

    [GeneratedRegex("^[A-Za-z0-9._:-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex GroupIdPattern();
}
