namespace DeviceFabric.Registry;

/// <summary>A shard's matches after a device id, in ordinal order of id.</summary>
/// <param name="DeviceId">The matching device.</param>
/// <param name="Json">The result item for it.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.QueryMatch")]
public sealed record QueryMatch(
    [property: Id(0)] string DeviceId,
    [property: Id(1)] string Json);
