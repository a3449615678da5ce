using System.CommandLine;

namespace DeviceFabric.Cli;

/// <summary>The options every command takes (recursive), and the environment variables that stand in for them.</summary>
internal static class CliGlobals
{
    public const string LoginVariable = "DEVICEFABRIC_CONNECTION_STRING";
    public const string EndpointVariable = "DEVICEFABRIC_ENDPOINT";
    public const string CaVariable = "DEVICEFABRIC_CA";
    public const string DataVariable = "DEVICEFABRIC_DATA";
    public const string ProvisioningLoginVariable = "DEVICEFABRIC_DPS_CONNECTION_STRING";

    public static readonly Option<string?> Login = new("--login", "-l")
    {
        Description = $"The hub's policy connection string. Default: ${LoginVariable}, else the local node's data/owner-connection-string.txt.",
        Recursive = true,
    };

    public static readonly Option<string?> DpsLogin = new("--dps-login")
    {
        Description = $"The provisioning service's connection string (dps commands). Default: ${ProvisioningLoginVariable}, else data/provisioning-connection-string.txt.",
        Recursive = true,
    };

    public static readonly Option<string?> Endpoint = new("--endpoint")
    {
        Description = $"The node's HTTPS address (https://host:port). Default: ${EndpointVariable}, else the local node's data/endpoints.json, else https://<HostName>.",
        Recursive = true,
    };

    public static readonly Option<string?> Ca = new("--ca")
    {
        Description = $"A PEM CA the node's certificate must chain to. Default: ${CaVariable}, else the local node's data/certs/ca.pem if there is one, else the system's trust.",
        Recursive = true,
    };

    public static readonly Option<string?> Data = new("--data")
    {
        Description = $"The local node's data directory. Default: ${DataVariable}, else ./data.",
        Recursive = true,
    };

    public static readonly Option<OutputFormat> Output = new("--output", "-o")
    {
        Description = "json (default) or table.",
        Recursive = true,
        DefaultValueFactory = _ => OutputFormat.Json,
    };

    public static IEnumerable<Option> All => [Login, DpsLogin, Endpoint, Ca, Data, Output];
}

/// <summary>How results are printed.</summary>
internal enum OutputFormat
{
    Json,
    Table,
}
