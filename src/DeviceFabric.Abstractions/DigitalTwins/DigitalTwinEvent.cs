namespace DeviceFabric.DigitalTwins;

/// <summary>
/// A digital twin or relationship changed, in Azure Digital Twins' event notification shape; published on the hub's
/// digital twins stream (<c>FabricStreams.DigitalTwinsNamespace</c>).
/// </summary>
/// <param name="Hub">The hub.</param>
/// <param name="Type">ADT's event type: <c>Microsoft.DigitalTwins.Twin.Create</c>, <c>.Twin.Update</c>, <c>.Twin.Delete</c>, <c>.Relationship.Create</c>, <c>.Relationship.Update</c>, <c>.Relationship.Delete</c>.</param>
/// <param name="Subject">The twin id, or <c>{twinId}/relationships/{relationshipId}</c>.</param>
/// <param name="DataJson">The body: the twin or relationship for a create or delete; <c>{"modelId", "patch": [...]}</c> for a twin update.</param>
/// <param name="Time">When.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.DigitalTwinEvent")]
public sealed record DigitalTwinEvent(
    [property: Id(0)] string Hub,
    [property: Id(1)] string Type,
    [property: Id(2)] string Subject,
    [property: Id(3)] string DataJson,
    [property: Id(4)] DateTimeOffset Time)
{
    /// <summary>ADT's event types.</summary>
    public const string TwinCreate = "Microsoft.DigitalTwins.Twin.Create", TwinUpdate = "Microsoft.DigitalTwins.Twin.Update", TwinDelete = "Microsoft.DigitalTwins.Twin.Delete",
        RelationshipCreate = "Microsoft.DigitalTwins.Relationship.Create", RelationshipUpdate = "Microsoft.DigitalTwins.Relationship.Update",
        RelationshipDelete = "Microsoft.DigitalTwins.Relationship.Delete";
}
