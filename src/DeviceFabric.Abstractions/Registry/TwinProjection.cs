namespace DeviceFabric.Registry;

/// <summary>
/// What a registry shard keeps of a device's twin for queries: its version and its tags and properties as one JSON
/// object, <c>{"tags":{...},"properties":{"desired":{...,"$version":n},"reported":{...,"$version":m}}}</c>, without
/// <c>$metadata</c> (which queries cannot use; see the README).
/// </summary>
/// <param name="GenerationId">The device generation the twin belongs to.</param>
/// <param name="Version">The twin's version; an older projection never replaces a newer one.</param>
/// <param name="Json">The tags and properties.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.TwinProjection")]
public sealed record TwinProjection(
    [property: Id(0)] string GenerationId,
    [property: Id(1)] long Version,
    [property: Id(2)] string Json);
