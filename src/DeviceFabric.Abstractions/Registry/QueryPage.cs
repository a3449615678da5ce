namespace DeviceFabric.Registry;

/// <summary>IoT Hub's kinds of query result (<c>x-ms-item-type</c>); the names are the wire values.</summary>
public enum QueryItemType
{
    /// <summary>Whole device twins (<c>SELECT * FROM devices</c>).</summary>
    Twin,

    /// <summary>Per-device job rows (<c>FROM devices.jobs</c>).</summary>
    DeviceJob,

    /// <summary>Job descriptions (the jobs query).</summary>
    JobResponse,

    /// <summary>Projections and aggregates.</summary>
    Raw,
}

/// <summary>One page of a query's results.</summary>
/// <param name="Items">The results, each a JSON object.</param>
/// <param name="ContinuationToken">Pass it back for the next page; null on the last page.</param>
/// <param name="ItemType">What kind of item the page holds.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.QueryPage")]
public sealed record QueryPage(
    [property: Id(0)] IReadOnlyList<string> Items,
    [property: Id(1)] string? ContinuationToken,
    [property: Id(2)] QueryItemType ItemType);

/// <summary>A shard's matches after a device id, in ordinal order of id.</summary>
/// <param name="DeviceId">The matching device.</param>
/// <param name="Json">The result item for it.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.QueryMatch")]
public sealed record QueryMatch(
    [property: Id(0)] string DeviceId,
    [property: Id(1)] string Json);

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

/// <summary>A shard's part of a numeric aggregate: how many numbers it saw, their sum, least and greatest.</summary>
[GenerateSerializer, Immutable, Alias("devicefabric.AggregatePartial")]
public sealed record AggregatePartial(
    [property: Id(0)] long Count,
    [property: Id(1)] double Sum,
    [property: Id(2)] double Min,
    [property: Id(3)] double Max)
{
    /// <summary>No numbers seen.</summary>
    public static AggregatePartial Empty { get; } = new(0, 0, double.PositiveInfinity, double.NegativeInfinity);

    /// <summary>This partial with one more number.</summary>
    public AggregatePartial Add(double value) => new(Count + 1, Sum + value, Math.Min(Min, value), Math.Max(Max, value));

    /// <summary>Two partials merged.</summary>
    public AggregatePartial Merge(AggregatePartial other) =>
        new(Count + other.Count, Sum + other.Sum, Math.Min(Min, other.Min), Math.Max(Max, other.Max));
}
