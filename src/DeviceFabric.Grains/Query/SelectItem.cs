namespace DeviceFabric.Query;

/// <summary>
/// One projection of the SELECT list: a path, or an aggregate (<c>COUNT()</c> without a path; <c>SUM</c>, <c>AVG</c>,
/// <c>MIN</c>, <c>MAX</c> of a path's numbers).
/// </summary>
internal sealed record SelectItem(IReadOnlyList<string>? Path, string Alias, string? Aggregate = null)
{
    public bool IsAggregate => Aggregate is not null;
}
