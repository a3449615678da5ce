namespace DeviceFabric.Contracts.Provisioning;

/// <summary>An X.509 group's CA references: names of verified CA certificates (here, of the fabric's hubs).</summary>
public sealed class X509CaReferencesJson
{
    /// <summary>The primary CA's name.</summary>
    public string? Primary { get; set; }

    /// <summary>The secondary CA's name, for rollover.</summary>
    public string? Secondary { get; set; }
}
