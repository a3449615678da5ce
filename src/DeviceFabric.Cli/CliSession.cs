using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using DeviceFabric.RestClient;

namespace DeviceFabric.Cli;

/// <summary>
/// What one invocation talks to, resolved from its options, then the environment, then the local node's data
/// directory: the hub's REST client, the provisioning service's, the digital twins API's, and where output goes.
/// </summary>
internal sealed class CliSession : IDisposable
{
    private readonly ParseResult _parse;
    private readonly Lazy<FabricRestClient> _hub;
    private readonly Lazy<FabricRestClient> _provisioning;
    private readonly Lazy<FabricRestClient> _digitalTwins;
    private readonly Lazy<NodeEndpointsFile?> _endpoints;

    public CliSession(ParseResult parse, CliConsole console)
    {
        _parse = parse;
        Console = console;
        DataDirectory = Path.GetFullPath(Value(CliGlobals.Data, CliGlobals.DataVariable) ?? "data");
        _endpoints = new(() => NodeEndpointsFile.Read(DataDirectory));
        _hub = new(() => Client(HubLogin(), bearer: false, digitalTwins: false));
        _provisioning = new(() => Client(ProvisioningLogin(), bearer: false, digitalTwins: false));
        _digitalTwins = new(() => Client(HubLogin(), bearer: true, digitalTwins: true));
    }

    /// <summary>Where results and messages are written.</summary>
    public CliConsole Console { get; }

    /// <summary>The local node's data directory (it may not exist: then nothing is read from it).</summary>
    public string DataDirectory { get; }

    /// <summary>The output format asked for.</summary>
    public OutputFormat Format => _parse.GetValue(CliGlobals.Output);

    /// <summary>The IoT Hub REST API, signed with the hub policy's connection string.</summary>
    public FabricRestClient Hub => _hub.Value;

    /// <summary>The provisioning service's REST API (same port), signed with its own connection string.</summary>
    public FabricRestClient Provisioning => _provisioning.Value;

    /// <summary>The digital twins API (its own port), with the hub's token as a bearer token.</summary>
    public FabricRestClient DigitalTwins => _digitalTwins.Value;

    /// <summary>The hub's connection string, as resolved (for commands that sign tokens or print connection strings).</summary>
    public ServiceConnectionString HubLogin() => Login(CliGlobals.Login, CliGlobals.LoginVariable, "owner-connection-string.txt", "--login");

    /// <summary>The provisioning service's connection string, as resolved.</summary>
    public ServiceConnectionString ProvisioningLogin() => Login(CliGlobals.DpsLogin, CliGlobals.ProvisioningLoginVariable, "provisioning-connection-string.txt", "--dps-login");

    /// <summary>The value of <paramref name="option"/> on this command line.</summary>
    public T? Get<T>(Option<T> option) => _parse.GetValue(option);

    /// <summary>The value of <paramref name="argument"/> on this command line.</summary>
    public T? Get<T>(Argument<T> argument) => _parse.GetValue(argument);

    public void Dispose()
    {
        foreach (var client in new[] { _hub, _provisioning, _digitalTwins }.Where(c => c.IsValueCreated))
        {
            client.Value.Dispose();
        }
    }

    private ServiceConnectionString Login(Option<string?> option, string variable, string fileName, string optionName)
    {
        var text = Value(option, variable);
        var file = Path.Combine(DataDirectory, fileName);
        if (text is null && File.Exists(file))
        {
            text = File.ReadAllText(file).Trim();
        }

        if (text is null)
        {
            throw new CliUsageException($"No connection string: pass {optionName}, set ${variable}, or run from the directory holding the node's data/ (or pass --data).");
        }

        return ServiceConnectionString.TryParse(text, out var login, out var error)
            ? login
            : throw new CliUsageException($"The connection string is not valid: {error}");
    }

    private FabricRestClient Client(ServiceConnectionString login, bool bearer, bool digitalTwins)
    {
        var endpoint = Value(CliGlobals.Endpoint, CliGlobals.EndpointVariable);
        Uri address;
        if (digitalTwins)
        {
            address = _endpoints.Value?.DigitalTwins ?? new Uri($"https://{login.Host}:8444");
        }
        else if (endpoint is not null)
        {
            address = Uri.TryCreate(endpoint, UriKind.Absolute, out var given) && given.Scheme == Uri.UriSchemeHttps
                ? given
                : throw new CliUsageException($"--endpoint must be an absolute https address, not '{endpoint}'.");
        }
        else
        {
            address = _endpoints.Value?.Https ?? new Uri($"https://{login.Host}");
        }

        return new FabricRestClient(login, address, TrustedCa(), bearer: bearer);
    }

    private X509Certificate2? TrustedCa()
    {
        var path = Value(CliGlobals.Ca, CliGlobals.CaVariable);
        var local = Path.Combine(DataDirectory, "certs", "ca.pem");
        if (path is null && File.Exists(local))
        {
            path = local;
        }

        if (path is null)
        {
            return null;
        }

        return File.Exists(path)
            ? X509CertificateLoader.LoadCertificateFromFile(path)
            : throw new CliUsageException($"The CA file {path} does not exist.");
    }

    private string? Value(Option<string?> option, string variable) =>
        _parse.GetValue(option) is { Length: > 0 } given ? given
        : Environment.GetEnvironmentVariable(variable) is { Length: > 0 } set ? set
        : null;
}

/// <summary>A command line that cannot be carried out as given (exit code 2).</summary>
internal sealed class CliUsageException(string message) : Exception(message);
