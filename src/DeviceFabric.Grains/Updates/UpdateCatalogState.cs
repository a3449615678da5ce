namespace DeviceFabric.Updates;

/// <summary>What a hub's update catalog stores. Ids are append only.</summary>
[GenerateSerializer, Alias("devicefabric.UpdateCatalogState")]
public sealed class UpdateCatalogState
{
    /// <summary>The updates by <c>provider/name/version</c>.</summary>
    [Id(0)] public Dictionary<string, UpdateRecord> Updates { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Grows with every import, for etags that never repeat.</summary>
    [Id(1)] public long ETagCounter { get; set; }
}
