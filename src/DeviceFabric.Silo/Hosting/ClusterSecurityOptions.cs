namespace DeviceFabric.Silo.Hosting;

/// <summary>
/// How the silos of a cluster, and the grain clients that reach its gateways, prove themselves to each other: mutual
/// TLS with certificates issued by the cluster's own CA. Required in cluster mode, where the silo-to-silo and gateway
/// ports face other machines; a single node keeps its gateway on loopback and needs none of it.
/// </summary>
public sealed class ClusterSecurityOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "DeviceFabric:Cluster";

    /// <summary>PEM certificate this silo presents to its peers and to grain clients. Default: none.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key of <see cref="CertificatePath"/>; empty when the certificate file holds it too. Default: none.</summary>
    public string? KeyPath { get; set; }

    /// <summary>PEM certificate of the CA that issues every member's and client's certificate. Default: none.</summary>
    public string? TrustedCaPath { get; set; }

    /// <summary>Runs a cluster with no TLS between its members and clients: for an isolated, trusted network only. Default: false.</summary>
    public bool AllowInsecure { get; set; }

    /// <summary>What is missing for cluster mode, if anything.</summary>
    public IEnumerable<string> ProblemsForClusterMode()
    {
        if (AllowInsecure)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(CertificatePath) || string.IsNullOrWhiteSpace(TrustedCaPath))
        {
            yield return $"{SectionName}:CertificatePath and {SectionName}:TrustedCaPath are required in cluster mode: silo-to-silo and gateway " +
                $"connections are mutual TLS with certificates of the cluster's CA (set {SectionName}:AllowInsecure=true only on an isolated network).";
            yield break;
        }

        foreach (var path in new[] { CertificatePath, KeyPath, TrustedCaPath }.Where(p => !string.IsNullOrWhiteSpace(p)))
        {
            if (!File.Exists(path))
            {
                yield return $"{SectionName}: the file {path} does not exist.";
            }
        }
    }
}
