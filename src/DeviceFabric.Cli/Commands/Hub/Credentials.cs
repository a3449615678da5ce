using System.CommandLine;
using System.Text.Json.Nodes;

namespace DeviceFabric.Cli.Commands.Hub;

/// <summary>
/// The credential options of <c>device-identity create|update</c> and <c>module-identity create</c>, and the
/// <c>authentication</c> JSON they make: <c>--auth-method</c> as <c>az</c> names it, mapped to IoT Hub's types.
/// </summary>
internal sealed class Credentials
{
    public Option<string?> PrimaryKey { get; } = new("--primary-key", "--pk") { Description = "The primary symmetric key (base64); generated when not given." };

    public Option<string?> SecondaryKey { get; } = new("--secondary-key", "--sk") { Description = "The secondary symmetric key (base64); generated when not given." };

    public Option<string?> PrimaryThumbprint { get; } = new("--primary-thumbprint", "--ptp") { Description = "The SHA-1 or SHA-256 thumbprint of the device's self-signed certificate (x509_thumbprint)." };

    public Option<string?> SecondaryThumbprint { get; } = new("--secondary-thumbprint", "--stp") { Description = "A second certificate thumbprint, for rollover (x509_thumbprint)." };

    public Option[] Options => [PrimaryKey, SecondaryKey, PrimaryThumbprint, SecondaryThumbprint];

    public bool AnyGiven(CliSession session) => Options.OfType<Option<string?>>().Any(o => session.Get(o) is not null);

    /// <summary>
    /// The identity's authentication: the method asked for (or, when null, the current one), with the given keys or
    /// thumbprints over the current ones. Credentials of another method than the one used are a usage error.
    /// </summary>
    public JsonObject Authentication(CliSession session, string? method, JsonObject? current)
    {
        var type = method switch
        {
            null => CliJson.At(current, "type") ?? "sas",
            "x509_thumbprint" => "selfSigned",
            "x509_ca" => "certificateAuthority",
            _ => "sas",
        };
        var keysGiven = session.Get(PrimaryKey) is not null || session.Get(SecondaryKey) is not null;
        var thumbprintsGiven = session.Get(PrimaryThumbprint) is not null || session.Get(SecondaryThumbprint) is not null;
        if ((keysGiven && type != "sas") || (thumbprintsGiven && type != "selfSigned"))
        {
            throw new CliUsageException("Keys go with --auth-method shared_private_key, thumbprints with x509_thumbprint, and x509_ca takes neither.");
        }

        var authentication = new JsonObject { ["type"] = type };
        if (type == "sas")
        {
            authentication["symmetricKey"] = new JsonObject
            {
                ["primaryKey"] = session.Get(PrimaryKey) ?? CliJson.At(current, "symmetricKey.primaryKey"),
                ["secondaryKey"] = session.Get(SecondaryKey) ?? CliJson.At(current, "symmetricKey.secondaryKey"),
            };
        }
        else if (type == "selfSigned")
        {
            var primary = session.Get(PrimaryThumbprint) ?? CliJson.At(current, "x509Thumbprint.primaryThumbprint");
            authentication["x509Thumbprint"] = new JsonObject
            {
                ["primaryThumbprint"] = primary ?? throw new CliUsageException("x509_thumbprint needs --primary-thumbprint."),
                ["secondaryThumbprint"] = session.Get(SecondaryThumbprint) ?? CliJson.At(current, "x509Thumbprint.secondaryThumbprint"),
            };
        }

        return authentication;
    }
}
