using System.CommandLine;
using System.Text.Json.Nodes;
using DeviceFabric.RestClient;

namespace DeviceFabric.Cli.Commands.Hub;

/// <summary>
/// <c>certificate</c>: the hub's X.509 CAs in IoT Hub's shapes (<c>/certificates</c>): upload, proof of possession
/// (a verification code, then a certificate whose CN is the code), list, show, delete.
/// </summary>
internal static class CertificateCommands
{
    private static readonly CliColumn[] s_columns =
    [
        CliColumn.At("Name", "name"),
        CliColumn.At("Subject", "properties.subject"),
        CliColumn.At("Thumbprint", "properties.thumbprint"),
        CliColumn.At("Verified", "properties.isVerified"),
        CliColumn.At("Expiry", "properties.expiry"),
        CliColumn.At("Etag", "etag"),
    ];

    public static Command Group() => CliCommand.Group(
        "certificate",
        "The hub's X.509 CA certificates.",
        List(),
        Show(),
        Create(),
        GenerateVerificationCode(),
        Verify(),
        Delete());

    private static Option<string> Name() => new("--name", "-n") { Description = "The certificate's name in the hub.", Required = true };

    private static Option<string> PemPath(string description) => new("--path", "-p") { Description = description, Required = true };

    private static Command List() => CliCommand.Create("list", "Lists the hub's CA certificates.", async (session, ct) =>
    {
        session.Console.Write(HubResults.Values(await session.Hub.GetAsync("/certificates", ct)), session.Format, s_columns);
        return 0;
    });

    private static Command Show()
    {
        var name = Name();
        return CliCommand.Create("show", "Shows a CA certificate.", async (session, ct) =>
        {
            session.Console.Write(await session.Hub.GetAsync(Path(session.Get(name)!), ct), session.Format, s_columns);
            return 0;
        }, name);
    }

    private static Command Create()
    {
        var name = Name();
        var path = PemPath("The CA certificate's PEM file.");
        var etag = HubOptions.Etag();
        return CliCommand.Create("create", "Uploads a CA certificate, unverified (or, with --etag, replaces one).", async (session, ct) =>
        {
            var body = new JsonObject { ["properties"] = new JsonObject { ["certificate"] = Pem(session.Get(path)!) } };
            session.Console.Write(await session.Hub.PutAsync(Path(session.Get(name)!), body, session.Get(etag), ct), session.Format, s_columns);
            return 0;
        }, name, path, etag);
    }

    private static Command GenerateVerificationCode()
    {
        var name = Name();
        var etag = HubOptions.Etag();
        return CliCommand.Create("generate-verification-code", "Issues the code the proof-of-possession certificate's CN must be.", async (session, ct) =>
        {
            var certificate = await PostAsync(session, session.Get(name)!, "/generateVerificationCode", null, session.Get(etag), ct);
            session.Console.Write(certificate, session.Format, [.. s_columns, CliColumn.At("VerificationCode", "properties.verificationCode")]);
            return 0;
        }, name, etag);
    }

    private static Command Verify()
    {
        var name = Name();
        var path = PemPath("The proof-of-possession certificate's PEM file: signed by the CA, its CN the verification code.");
        var etag = HubOptions.Etag();
        return CliCommand.Create("verify", "Verifies a CA with a certificate it signed.", async (session, ct) =>
        {
            var body = new JsonObject { ["certificate"] = Pem(session.Get(path)!) };
            session.Console.Write(await PostAsync(session, session.Get(name)!, "/verify", body, session.Get(etag), ct), session.Format, s_columns);
            return 0;
        }, name, path, etag);
    }

    private static Command Delete()
    {
        var name = Name();
        var etag = HubOptions.Etag();
        return CliCommand.Create("delete", "Deletes a CA certificate; the devices beneath it are refused.", async (session, ct) =>
        {
            var path = Path(session.Get(name)!);
            await session.Hub.DeleteAsync(path, session.Get(etag) ?? await CurrentEtagAsync(session, path, ct), ct);
            return 0;
        }, name, etag);
    }

    /// <summary>A POST that IoT Hub's management API guards with the certificate's etag: the given one, else the current.</summary>
    private static async Task<JsonNode?> PostAsync(CliSession session, string name, string action, JsonNode? body, string? etag, CancellationToken ct)
    {
        var path = Path(name);
        var options = new RestRequestOptions { IfMatch = etag ?? await CurrentEtagAsync(session, path, ct) };
        return (await session.Hub.SendAsync(HttpMethod.Post, path + action, body, options, ct)).Body;
    }

    private static async Task<string> CurrentEtagAsync(CliSession session, string path, CancellationToken ct) =>
        CliJson.At(await session.Hub.GetAsync(path, ct), "etag") ?? "*";

    private static string Pem(string path) =>
        File.Exists(path) ? File.ReadAllText(path) : throw new CliUsageException($"--path: the file {path} does not exist.");

    private static string Path(string name) => "/certificates/" + HubPaths.Escape(name);
}
