namespace DeviceFabric.Provisioning;

/// <summary>The provisioning service's stored state: ID scope, policies, and the index of enrollments.</summary>
[GenerateSerializer, Alias("devicefabric.ProvisioningServiceState")]
public sealed class ProvisioningServiceState
{
    [Id(0)]
    public string? IdScope { get; set; }

    [Id(1)]
    public List<ProvisioningPolicy> Policies { get; set; } = [];

    [Id(2)]
    public SortedSet<string> Individuals { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Every group by id; the enabled symmetric-key ones with their keys.</summary>
    [Id(3)]
    public SortedDictionary<string, GroupKeys?> Groups { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The enabled X.509 groups with their CAs.</summary>
    [Id(4)]
    public SortedDictionary<string, CertificateGroup> CertificateGroups { get; set; } = new(StringComparer.Ordinal);
}
