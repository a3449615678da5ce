namespace DeviceFabric.Security;

/// <summary>What a hub grain stores.</summary>
[GenerateSerializer, Alias("devicefabric.HubState")]
public sealed class HubState
{
    [Id(0)] public List<SharedAccessPolicy> Policies { get; set; } = [];
}
