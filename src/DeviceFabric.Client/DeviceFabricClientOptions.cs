namespace DeviceFabric.Client;

/// <summary>How a backend app reaches the fabric as an Orleans client.</summary>
public sealed class DeviceFabricClientOptions
{
    /// <summary>The hub to act on. Default: <c>devicefabric</c>.</summary>
    public string Hub { get; set; } = "devicefabric";

    /// <summary>
    /// The cluster's PostgreSQL connection string; when set, gateways are found through the cluster's membership table.
    /// When empty, the client connects to a single node's gateway on localhost. Default: empty.
    /// </summary>
    public string? PostgreSqlConnectionString { get; set; }

    /// <summary>The single node's gateway port, used when no PostgreSQL connection string is set. Default: 30000.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The cluster id the silos were started with. Default: <c>devicefabric</c>.</summary>
    public string ClusterId { get; set; } = "devicefabric";

    /// <summary>The service id the silos were started with. Default: <c>devicefabric</c>.</summary>
    public string ServiceId { get; set; } = "devicefabric";
}
