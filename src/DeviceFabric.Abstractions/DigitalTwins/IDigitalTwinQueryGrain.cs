namespace DeviceFabric.DigitalTwins;

/// <summary>Runs digital twins queries for a hub. Key: the hub name.</summary>
[Alias("devicefabric.IDigitalTwinQueryGrain")]
public interface IDigitalTwinQueryGrain : IGrainWithStringKey
{
    /// <summary>
    /// A page of a query's rows (Azure Digital Twins' JSON) and the token for the next page (null on the last); a
    /// <paramref name="continuationToken"/> replaces the query. Fails with <see cref="DeviceFabricErrorCode.SqlQueryError"/>.
    /// </summary>
    Task<DigitalTwinQueryPage> QueryAsync(string? query, string? continuationToken, int pageSize, CancellationToken cancellationToken = default);
}

/// <summary>One page of query results.</summary>
[GenerateSerializer, Immutable, Alias("devicefabric.DigitalTwinQueryPage")]
public sealed record DigitalTwinQueryPage([property: Id(0)] IReadOnlyList<string> Items, [property: Id(1)] string? ContinuationToken);
