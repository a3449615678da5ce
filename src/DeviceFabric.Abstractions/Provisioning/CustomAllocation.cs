namespace DeviceFabric.Provisioning;

/// <summary>The webhook a custom allocation asks, and the API version it is sent.</summary>
[GenerateSerializer, Immutable, Alias("devicefabric.CustomAllocation")]
public sealed record CustomAllocation(
    [property: Id(0)] string WebhookUrl,
    [property: Id(1)] string ApiVersion);
