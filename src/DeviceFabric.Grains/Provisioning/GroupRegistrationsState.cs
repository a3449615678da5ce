namespace DeviceFabric.Provisioning;

/// <summary>A shard's stored registration ids.</summary>
[GenerateSerializer, Alias("devicefabric.GroupRegistrationsState")]
public sealed class GroupRegistrationsState
{
    [Id(0)]
    public SortedSet<string> Ids { get; set; } = new(StringComparer.Ordinal);
}
