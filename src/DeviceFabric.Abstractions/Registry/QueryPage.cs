namespace DeviceFabric.Registry;

/// <summary>One page of a query's results.</summary>
/// <param name="Items">The results, each a JSON object.</param>
/// <param name="ContinuationToken">Pass it back for the next page; null on the last page.</param>
/// <param name="ItemType">What kind of item the page holds.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.QueryPage")]
public sealed record QueryPage(
    [property: Id(0)] IReadOnlyList<string> Items,
    [property: Id(1)] string? ContinuationToken,
    [property: Id(2)] QueryItemType ItemType);
