using DeviceFabric.Provisioning;

namespace DeviceFabric.Contracts.Provisioning;

/// <summary>The one mapper between DPS's enrollment JSON and the fabric's <see cref="Enrollment"/>, both ways.</summary>
public static class EnrollmentJson
{
    /// <summary>An individual enrollment as written to <c>/enrollments/{registrationId}</c>.</summary>
    public static Enrollment FromIndividual(IndividualEnrollmentJson json, string registrationId)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.RegistrationId is { } named && !string.Equals(named, registrationId, StringComparison.Ordinal))
        {
            throw Invalid("The body's registrationId is not the one in the path.");
        }

        return new Enrollment(
            EnrollmentKind.Individual, registrationId, Attestation(json.Attestation), Enabled(json.ProvisioningStatus), json.DeviceId,
            Hubs(json.IotHubs, json.IotHubHostName), Policy(json.AllocationPolicy), Custom(json.CustomAllocationDefinition),
            Reprovision(json.ReprovisionPolicy), json.InitialTwin?.ToJsonString(), json.Capabilities?.IotEdge ?? false);
    }

    /// <summary>An enrollment group as written to <c>/enrollmentGroups/{enrollmentGroupId}</c>.</summary>
    public static Enrollment FromGroup(EnrollmentGroupJson json, string groupId)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.EnrollmentGroupId is { } named && !string.Equals(named, groupId, StringComparison.Ordinal))
        {
            throw Invalid("The body's enrollmentGroupId is not the one in the path.");
        }

        return new Enrollment(
            EnrollmentKind.Group, groupId, Attestation(json.Attestation), Enabled(json.ProvisioningStatus), null,
            Hubs(json.IotHubs, json.IotHubHostName), Policy(json.AllocationPolicy), Custom(json.CustomAllocationDefinition),
            Reprovision(json.ReprovisionPolicy), json.InitialTwin?.ToJsonString(), json.Capabilities?.IotEdge ?? false);
    }

    /// <summary>An individual enrollment as DPS serves it, with its registration record if there is one.</summary>
    public static IndividualEnrollmentJson ToIndividual(Enrollment enrollment, DeviceRegistrationState? registration)
    {
        ArgumentNullException.ThrowIfNull(enrollment);
        return new IndividualEnrollmentJson
        {
            RegistrationId = enrollment.Id,
            DeviceId = enrollment.DeviceId,
            RegistrationState = registration is null ? null : RegistrationJson.State(registration),
            Attestation = ToAttestation(enrollment.Attestation),
            Capabilities = new CapabilitiesJson { IotEdge = enrollment.IsEdge },
            InitialTwin = InitialTwin(enrollment.InitialTwinJson),
            Etag = enrollment.ETag,
            ProvisioningStatus = enrollment.Enabled ? "enabled" : "disabled",
            ReprovisionPolicy = ToReprovision(enrollment.Reprovision),
            CreatedDateTimeUtc = enrollment.CreatedTime.UtcDateTime,
            LastUpdatedDateTimeUtc = enrollment.UpdatedTime.UtcDateTime,
            AllocationPolicy = RegistrationJson.Camel((enrollment.AllocationPolicy ?? DeviceFabric.Provisioning.AllocationPolicy.Hashed).ToString()),
            IotHubs = enrollment.IotHubs?.ToList() ?? [],
            CustomAllocationDefinition = ToCustom(enrollment.CustomAllocation),
        };
    }

    /// <summary>An enrollment group as DPS serves it.</summary>
    public static EnrollmentGroupJson ToGroup(Enrollment enrollment)
    {
        ArgumentNullException.ThrowIfNull(enrollment);
        return new EnrollmentGroupJson
        {
            EnrollmentGroupId = enrollment.Id,
            Attestation = ToAttestation(enrollment.Attestation, isGroup: true),
            Capabilities = new CapabilitiesJson { IotEdge = enrollment.IsEdge },
            InitialTwin = InitialTwin(enrollment.InitialTwinJson),
            Etag = enrollment.ETag,
            ProvisioningStatus = enrollment.Enabled ? "enabled" : "disabled",
            ReprovisionPolicy = ToReprovision(enrollment.Reprovision),
            CreatedDateTimeUtc = enrollment.CreatedTime.UtcDateTime,
            LastUpdatedDateTimeUtc = enrollment.UpdatedTime.UtcDateTime,
            AllocationPolicy = RegistrationJson.Camel((enrollment.AllocationPolicy ?? DeviceFabric.Provisioning.AllocationPolicy.Hashed).ToString()),
            IotHubs = enrollment.IotHubs?.ToList() ?? [],
            CustomAllocationDefinition = ToCustom(enrollment.CustomAllocation),
        };
    }

    /// <summary>The attestation alone, as <c>.../attestationmechanism</c> answers.</summary>
    public static AttestationMechanismJson ToAttestation(Attestation attestation, bool isGroup = false)
    {
        ArgumentNullException.ThrowIfNull(attestation);
        return attestation.Type == AttestationType.SymmetricKey
            ? new AttestationMechanismJson
            {
                Type = "symmetricKey",
                SymmetricKey = new SymmetricKeyAttestationJson { PrimaryKey = attestation.PrimaryKey, SecondaryKey = attestation.SecondaryKey },
            }
            : new AttestationMechanismJson
            {
                Type = "x509",
                X509 = X509(attestation, isGroup),
            };
    }

    private static Attestation Attestation(AttestationMechanismJson? json) => json?.Type?.ToUpperInvariant() switch
    {
        null => throw Invalid("An enrollment needs attestation.type."),
        "SYMMETRICKEY" => new Attestation(AttestationType.SymmetricKey, Empty(json.SymmetricKey?.PrimaryKey), Empty(json.SymmetricKey?.SecondaryKey)),
        "X509" when json.X509?.SigningCertificates is { } signing => new Attestation(
            AttestationType.X509,
            PrimaryCertificate: Pem(signing.Primary?.Certificate ?? throw Invalid("attestation.x509.signingCertificates.primary.certificate is required.")),
            SecondaryCertificate: signing.Secondary?.Certificate is { } secondarySigning ? Pem(secondarySigning) : null),
        "X509" when json.X509?.CaReferences is { } references => new Attestation(
            AttestationType.X509,
            PrimaryCaReference: references.Primary ?? throw Invalid("attestation.x509.caReferences.primary is required."),
            SecondaryCaReference: references.Secondary),
        "X509" when json.X509?.ClientCertificates is null =>
            throw Invalid("X.509 attestation takes clientCertificates (individual enrollments), or signingCertificates or caReferences (groups)."),
        "X509" => new Attestation(
            AttestationType.X509,
            PrimaryCertificate: Pem(json.X509!.ClientCertificates!.Primary?.Certificate ?? throw Invalid("attestation.x509.clientCertificates.primary.certificate is required.")),
            SecondaryCertificate: json.X509.ClientCertificates.Secondary?.Certificate is { } secondary ? Pem(secondary) : null),
        "TPM" => throw Invalid("TPM attestation is not served (DPS does not offer it over MQTT either)."),
        _ => throw Invalid($"attestation.type '{json.Type}' is not symmetricKey or x509."),
    };

    private static X509AttestationJson X509(Attestation attestation, bool isGroup)
    {
        if (attestation.PrimaryCaReference is not null)
        {
            return new X509AttestationJson { CaReferences = new X509CaReferencesJson { Primary = attestation.PrimaryCaReference, Secondary = attestation.SecondaryCaReference } };
        }

        var certificates = new X509CertificatesJson { Primary = Info(attestation.PrimaryCertificate), Secondary = Info(attestation.SecondaryCertificate) };
        return isGroup ? new X509AttestationJson { SigningCertificates = certificates } : new X509AttestationJson { ClientCertificates = certificates };
    }

    private static CertificateAttestation Pem(string text) => new(text, string.Empty, string.Empty, string.Empty, string.Empty, default, default, string.Empty);

    private static X509CertificateWithInfoJson? Info(CertificateAttestation? certificate) => certificate is null ? null : new X509CertificateWithInfoJson
    {
        Info = new X509CertificateInfoJson
        {
            SubjectName = certificate.SubjectName,
            Sha1Thumbprint = certificate.Sha1Thumbprint,
            Sha256Thumbprint = certificate.Sha256Thumbprint,
            IssuerName = certificate.IssuerName,
            NotBeforeUtc = certificate.NotBefore.UtcDateTime,
            NotAfterUtc = certificate.NotAfter.UtcDateTime,
            SerialNumber = certificate.SerialNumber,
        },
    };

    private static bool Enabled(string? status) => status?.ToUpperInvariant() switch
    {
        null or "ENABLED" => true,
        "DISABLED" => false,
        _ => throw Invalid($"provisioningStatus '{status}' is not enabled or disabled."),
    };

    private static AllocationPolicy? Policy(string? policy) => policy is null ? null
        : Enum.TryParse<AllocationPolicy>(policy, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !char.IsDigit(policy[0]) ? parsed
        : throw Invalid($"allocationPolicy '{policy}' is not hashed, geoLatency, static or custom.");

    private static IReadOnlyList<string>? Hubs(List<string>? hubs, string? single) =>
        hubs is { Count: > 0 } ? hubs : single is { Length: > 0 } ? [single] : null;

    private static CustomAllocation? Custom(CustomAllocationDefinitionJson? json) =>
        json is null ? null : new CustomAllocation(json.WebhookUrl ?? string.Empty, json.ApiVersion ?? "2021-10-01");

    private static ReprovisionPolicy? Reprovision(ReprovisionPolicyJson? json) =>
        json is null ? null : new ReprovisionPolicy(json.UpdateHubAssignment, json.MigrateDeviceData);

    private static ReprovisionPolicyJson ToReprovision(ReprovisionPolicy policy) =>
        new() { UpdateHubAssignment = policy.UpdateHubAssignment, MigrateDeviceData = policy.MigrateDeviceData };

    private static CustomAllocationDefinitionJson? ToCustom(CustomAllocation? custom) =>
        custom is null ? null : new CustomAllocationDefinitionJson { WebhookUrl = custom.WebhookUrl, ApiVersion = custom.ApiVersion };

    private static System.Text.Json.Nodes.JsonObject? InitialTwin(string? json) =>
        json is null ? null : System.Text.Json.Nodes.JsonNode.Parse(json) as System.Text.Json.Nodes.JsonObject;

    private static string? Empty(string? key) => string.IsNullOrEmpty(key) ? null : key;

    private static DeviceFabricException Invalid(string message) => new(DeviceFabricErrorCode.ArgumentInvalid, message);
}
