namespace DeviceFabric.DigitalTwins;

/// <summary>What a digital twin grain stores. Ids are append only.</summary>
[GenerateSerializer, Alias("devicefabric.DigitalTwinState")]
public sealed class DigitalTwinState
{
    /// <summary>Whether the twin exists (a deleted twin's grain keeps nothing else).</summary>
    [Id(0)] public bool Exists { get; set; }

    [Id(1)] public string ModelId { get; set; } = string.Empty;

    /// <summary>Properties and components (each component with its own <c>$metadata</c>), as JSON.</summary>
    [Id(2)] public string Contents { get; set; } = "{}";

    /// <summary>The twin's <c>$metadata</c> without <c>$model</c>: <c>$lastUpdateTime</c> and each property's times.</summary>
    [Id(3)] public string Metadata { get; set; } = "{}";

    [Id(4)] public string ETag { get; set; } = string.Empty;

    /// <summary>Counts every write, for the index shard to keep the newest.</summary>
    [Id(5)] public long Version { get; set; }

    /// <summary>Outgoing relationships by id: each one's JSON (with <c>$relationshipId</c>, <c>$targetId</c>, ...).</summary>
    [Id(6)] public Dictionary<string, StoredRelationship> Relationships { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Relationships pointing here, by <c>{sourceId}/{relationshipId}</c>.</summary>
    [Id(7)] public Dictionary<string, IncomingRelationship> Incoming { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The device that last kept this twin up to date (its commands go to it).</summary>
    [Id(8)] public string? DeviceId { get; set; }
}

/// <summary>An outgoing relationship.</summary>
[GenerateSerializer, Immutable, Alias("devicefabric.StoredRelationship")]
public sealed record StoredRelationship([property: Id(0)] string Name, [property: Id(1)] string TargetId, [property: Id(2)] string Json, [property: Id(3)] string ETag);

/// <summary>A relationship from another twin to this one.</summary>
[GenerateSerializer, Immutable, Alias("devicefabric.IncomingRelationship")]
public sealed record IncomingRelationship([property: Id(0)] string SourceId, [property: Id(1)] string RelationshipId, [property: Id(2)] string Name);
