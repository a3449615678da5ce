using System.CommandLine;
using System.Text.Json.Nodes;

namespace DeviceFabric.Cli.Commands.Management;

/// <summary>
/// The settings an individual enrollment and an enrollment group share (attestation, status, initial twin,
/// allocation, hubs, IoT Edge, reprovisioning), as options of one create or update command, and how they are written
/// into DPS's enrollment JSON. On an update only what was given changes.
/// </summary>
internal sealed class EnrollmentSettings
{
    private readonly bool _group;

    public EnrollmentSettings(bool group)
    {
        _group = group;
        var certificates = group ? "signing (intermediate or root) certificate" : "device certificate";
        AttestationType = ManagementArgs.Optional("--attestation-type", "symmetrickey (default on create) or x509.", "--at");
        PrimaryKey = ManagementArgs.Optional("--primary-key", "The symmetric primary key (base64); generated when left out.", "--pk");
        SecondaryKey = ManagementArgs.Optional("--secondary-key", "The symmetric secondary key (base64); generated when left out.", "--sk");
        Certificate = ManagementArgs.Optional("--certificate-path", $"A PEM file of the primary {certificates} (x509).", "--cp");
        SecondaryCertificate = ManagementArgs.Optional("--secondary-certificate-path", $"A PEM file of the secondary {certificates} (x509).", "--scp");
        CaName = ManagementArgs.Optional("--ca-name", "The name of a CA certificate the hub holds, instead of a signing certificate (x509 groups).", "--cn");
        InitialTwin = ManagementArgs.Optional("--initial-twin", "The initial twin: JSON or @file, {\"tags\":{...},\"properties\":{\"desired\":{...}}}.", "--it");
        Status = ManagementArgs.Optional("--provisioning-status", "enabled or disabled.", "--ps");
        Policy = ManagementArgs.Optional("--allocation-policy", "hashed, geoLatency, static or custom.", "--ap");
        Hubs = ManagementArgs.Many("--iot-hubs", "Host names of the hubs devices may be assigned to (space or comma separated); none for every hub.", "--ih");
        Edge = ManagementArgs.Optional<bool>("--edge-enabled", "Whether the devices are IoT Edge devices.", "--ee");
        Reprovision = ManagementArgs.Optional("--reprovision-policy", "reprovisionandmigratedata, reprovisionandresetdata or never.", "--rp");
        WebhookUrl = ManagementArgs.Optional("--webhook-url", "The custom allocation webhook (allocation policy custom).", "--wh");
        WebhookApiVersion = ManagementArgs.Optional("--api-version", "The custom allocation webhook's API version.", "--av");
    }

    public Option<string?> AttestationType { get; }

    public Option<string?> PrimaryKey { get; }

    public Option<string?> SecondaryKey { get; }

    public Option<string?> Certificate { get; }

    public Option<string?> SecondaryCertificate { get; }

    public Option<string?> CaName { get; }

    public Option<string?> InitialTwin { get; }

    public Option<string?> Status { get; }

    public Option<string?> Policy { get; }

    public Option<string[]> Hubs { get; }

    public Option<bool?> Edge { get; }

    public Option<string?> Reprovision { get; }

    public Option<string?> WebhookUrl { get; }

    public Option<string?> WebhookApiVersion { get; }

    /// <summary>Every option, to add to the command.</summary>
    public IEnumerable<Symbol> All =>
    [
        AttestationType, PrimaryKey, SecondaryKey, Certificate, SecondaryCertificate, .. _group ? new Symbol[] { CaName } : [],
        InitialTwin, Status, Policy, Hubs, Edge, Reprovision, WebhookUrl, WebhookApiVersion,
    ];

    /// <summary>
    /// Writes the given settings into <paramref name="enrollment"/> (a new one, or the stored one on an update).
    /// The service never returns certificates, so an X.509 enrollment's update must name them again to keep them.
    /// </summary>
    public void ApplyTo(JsonObject enrollment, CliSession session, bool creating)
    {
        if (Attestation(session, enrollment["attestation"]?["type"]?.ToString(), creating) is { } attestation)
        {
            enrollment["attestation"] = attestation;
        }

        if (session.Get(InitialTwin) is { } twin)
        {
            enrollment["initialTwin"] = ManagementArgs.Object(twin, "--initial-twin");
        }

        Set(enrollment, "provisioningStatus", session.Get(Status));
        Set(enrollment, "allocationPolicy", session.Get(Policy));
        if (session.Get(Hubs) is { Length: > 0 } hubs)
        {
            enrollment["iotHubs"] = new JsonArray([.. hubs.SelectMany(h => h.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Select(h => (JsonNode)h)]);
        }

        if (session.Get(Edge) is { } edge)
        {
            enrollment["capabilities"] = new JsonObject { ["iotEdge"] = edge };
        }

        if (session.Get(Reprovision) is { } reprovision)
        {
            enrollment["reprovisionPolicy"] = ReprovisionPolicy(reprovision);
        }

        if (session.Get(WebhookUrl) is { } webhook)
        {
            enrollment["customAllocationDefinition"] = new JsonObject { ["webhookUrl"] = webhook, ["apiVersion"] = session.Get(WebhookApiVersion) ?? "2021-10-01" };
        }
    }

    private JsonObject? Attestation(CliSession session, string? storedType, bool creating)
    {
        var type = session.Get(AttestationType)?.ToUpperInvariant();
        var certificate = session.Get(Certificate);
        var caName = _group ? session.Get(CaName) : null;
        var keys = session.Get(PrimaryKey) is not null || session.Get(SecondaryKey) is not null;
        type ??= certificate is not null || caName is not null ? "X509" : keys || creating ? "SYMMETRICKEY" : null;
        switch (type)
        {
            case null:
                if (storedType is "x509")
                {
                    throw new CliUsageException("The enrollment attests with X.509 and the service never returns certificates: pass --certificate-path (or --ca-name) again.");
                }

                return null;
            case "SYMMETRICKEY":
                var symmetric = new JsonObject();
                Set(symmetric, "primaryKey", session.Get(PrimaryKey));
                Set(symmetric, "secondaryKey", session.Get(SecondaryKey));
                return new JsonObject { ["type"] = "symmetricKey", ["symmetricKey"] = symmetric };
            case "X509":
                return new JsonObject { ["type"] = "x509", ["x509"] = X509(session, certificate, caName) };
            default:
                throw new CliUsageException($"--attestation-type must be symmetrickey or x509, not '{session.Get(AttestationType)}'.");
        }
    }

    private JsonObject X509(CliSession session, string? certificate, string? caName)
    {
        if (caName is not null)
        {
            return new JsonObject { ["caReferences"] = new JsonObject { ["primary"] = caName } };
        }

        var pair = new JsonObject
        {
            ["primary"] = new JsonObject { ["certificate"] = Pem(certificate ?? throw new CliUsageException(_group
                ? "X.509 groups need --certificate-path (a signing certificate) or --ca-name."
                : "X.509 enrollments need --certificate-path (the device's certificate).")) },
        };
        if (session.Get(SecondaryCertificate) is { } secondary)
        {
            pair["secondary"] = new JsonObject { ["certificate"] = Pem(secondary) };
        }

        return new JsonObject { [_group ? "signingCertificates" : "clientCertificates"] = pair };
    }

    private static string Pem(string path) => File.Exists(path)
        ? File.ReadAllText(path)
        : throw new CliUsageException($"The certificate file {path} does not exist.");

    private static JsonObject ReprovisionPolicy(string policy) => policy.ToUpperInvariant() switch
    {
        "REPROVISIONANDMIGRATEDATA" => new JsonObject { ["updateHubAssignment"] = true, ["migrateDeviceData"] = true },
        "REPROVISIONANDRESETDATA" => new JsonObject { ["updateHubAssignment"] = true, ["migrateDeviceData"] = false },
        "NEVER" => new JsonObject { ["updateHubAssignment"] = false, ["migrateDeviceData"] = false },
        _ => throw new CliUsageException($"--reprovision-policy must be reprovisionandmigratedata, reprovisionandresetdata or never, not '{policy}'."),
    };

    private static void Set(JsonObject json, string name, string? value)
    {
        if (value is not null)
        {
            json[name] = value;
        }
    }
}
