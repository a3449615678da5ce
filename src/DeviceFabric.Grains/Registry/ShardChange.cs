namespace DeviceFabric.Registry;

/// <summary>One change to a shard: a device row set, a twin projection set, or (neither) the device removed.</summary>
[GenerateSerializer, Immutable, Alias("devicefabric.ShardChange")]
public sealed record ShardChange(
    [property: Id(0)] string DeviceId,
    [property: Id(1)] DeviceEntry? Entry,
    [property: Id(2)] TwinProjection? Twin,
    [property: Id(3)] long Sequence = 0);
