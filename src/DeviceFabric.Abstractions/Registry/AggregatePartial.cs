namespace DeviceFabric.Registry;

/// <summary>
/// A shard's part of a numeric aggregate: how many numbers it saw, their sum, their mean, least and greatest. The mean
/// is kept apart from the sum (as weighted averages, which stay within the numbers' range) so an average of large
/// numbers does not overflow where their sum does.
/// </summary>
[GenerateSerializer, Immutable, Alias("devicefabric.AggregatePartial")]
public sealed record AggregatePartial(
    [property: Id(0)] long Count,
    [property: Id(1)] double Sum,
    [property: Id(2)] double Min,
    [property: Id(3)] double Max,
    [property: Id(4)] double Mean = 0)
{
    /// <summary>No numbers seen.</summary>
    public static AggregatePartial Empty { get; } = new(0, 0, double.PositiveInfinity, double.NegativeInfinity);

    /// <summary>This partial with one more number.</summary>
    public AggregatePartial Add(double value) =>
        new(Count + 1, Sum + value, Math.Min(Min, value), Math.Max(Max, value), Weighted(Mean, Count, value, 1));

    /// <summary>Two partials merged.</summary>
    public AggregatePartial Merge(AggregatePartial other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(Count + other.Count, Sum + other.Sum, Math.Min(Min, other.Min), Math.Max(Max, other.Max), Weighted(Mean, Count, other.Mean, other.Count));
    }

    private static double Weighted(double a, long countA, double b, long countB)
    {
        var total = (double)(countA + countB);
        return total == 0 ? 0 : (a * (countA / total)) + (b * (countB / total));
    }
}
