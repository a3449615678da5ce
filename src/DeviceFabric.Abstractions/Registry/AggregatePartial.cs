namespace DeviceFabric.Registry;

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
