namespace DeviceFabric.Provisioning;

/// <summary>What the provisioning service is: its ID scope (devices put it in their username and token) and its policies.</summary>
[GenerateSerializer, Immutable, Alias("devicefabric.ProvisioningServiceSettings")]
public sealed record ProvisioningServiceSettings(
    [property: Id(0)] string IdScope,
    [property: Id(1)] IReadOnlyList<ProvisioningPolicy> Policies);
