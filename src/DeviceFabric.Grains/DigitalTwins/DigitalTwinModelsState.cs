namespace DeviceFabric.DigitalTwins;

/// <summary>What the models grain stores: each model's DTDL, when it came, whether it is decommissioned. Ids are append only.</summary>
[GenerateSerializer, Alias("devicefabric.DigitalTwinModelsState")]
public sealed class DigitalTwinModelsState
{
    [Id(0)] public Dictionary<string, StoredModel> Models { get; set; } = new(StringComparer.Ordinal);

    [Id(1)] public long Version { get; set; }
}

/// <summary>One stored model.</summary>
[GenerateSerializer, Immutable, Alias("devicefabric.StoredModel")]
public sealed record StoredModel([property: Id(0)] string Json, [property: Id(1)] DateTimeOffset UploadTime, [property: Id(2)] bool Decommissioned);
