namespace DeviceFabric.Registry;

/// <summary>One group of an aggregate query: the group's key values, its count and partial aggregates, merged across shards.</summary>
/// <param name="Key">The group-by values as JSON text (one per group-by path), the merge key.</param>
/// <param name="Item">The result row without its aggregates, as JSON.</param>
/// <param name="Count">The devices in the group.</param>
/// <param name="Partials">One partial per <c>SUM</c>, <c>AVG</c>, <c>MIN</c> or <c>MAX</c> of the query, in SELECT order.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.QueryGroup")]
public sealed record QueryGroup(
    [property: Id(0)] string Key,
    [property: Id(1)] string Item,
    [property: Id(2)] long Count,
    [property: Id(3)] IReadOnlyList<AggregatePartial>? Partials = null);
