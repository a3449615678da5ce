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

    /// <summary>How long <see cref="DeviceFabricClient.ConnectAsync"/> keeps trying to reach a gateway before it fails. Default: 30 seconds.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The certificate (with its key) the client presents to a cluster's gateways, issued by the cluster's CA; required by
    /// a cluster, not by a single node. Default: none.
    /// </summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? ClientCertificate { get; set; }

    /// <summary>The cluster's CA, which the gateways' certificates must chain to; required with <see cref="ClientCertificate"/>. Default: none.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? ClusterAuthority { get; set; }
}
