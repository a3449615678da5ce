using System.Text.Json.Nodes;

namespace DeviceFabric.DigitalTwins;

/// <summary>
/// A compiled DTDL interface: its own members and every inherited one flattened by name, so validating a twin never
/// walks the extends chain.
/// </summary>
internal sealed record DtdlInterface(
    string Id,
    int Version,
    IReadOnlyDictionary<string, string> DisplayName,
    IReadOnlyDictionary<string, string> Description,
    IReadOnlyList<string> Extends,
    IReadOnlyList<string> Ancestors,
    IReadOnlyDictionary<string, DtdlProperty> Properties,
    IReadOnlyDictionary<string, DtdlRelationship> Relationships,
    IReadOnlyDictionary<string, string> Components,
    IReadOnlyDictionary<string, DtdlSchema> Telemetry,
    IReadOnlyDictionary<string, DtdlCommand> Commands,
    IReadOnlyList<string> Dependencies,
    string Json);

/// <summary>A Property of an interface or of a relationship.</summary>
internal sealed record DtdlProperty(string Name, DtdlSchema Schema, bool Writable);

/// <summary>A Relationship; a null target means any twin may be the target.</summary>
internal sealed record DtdlRelationship(
    string Name,
    string? Target,
    int? MaxMultiplicity,
    int MinMultiplicity,
    IReadOnlyDictionary<string, DtdlProperty> Properties,
    bool Writable);

/// <summary>A Command with its optional request and response payload schemas.</summary>
internal sealed record DtdlCommand(string Name, DtdlSchema? Request, DtdlSchema? Response);

/// <summary>The schema of a value: a primitive or one of the complex schemas.</summary>
internal abstract record DtdlSchema;

/// <summary>A primitive or geospatial schema, by its DTDL name (integer, dateTime, point...).</summary>
internal sealed record DtdlPrimitive(string Kind) : DtdlSchema;

/// <summary>An Object schema: named fields, each optional in a value.</summary>
internal sealed record DtdlObject(IReadOnlyList<(string Name, DtdlSchema Schema)> Fields) : DtdlSchema;

/// <summary>A Map schema: string keys, each value of <c>Value</c>.</summary>
internal sealed record DtdlMap(DtdlSchema Value) : DtdlSchema;

/// <summary>An Enum schema: <c>ValueSchema</c> is "integer" or "string".</summary>
internal sealed record DtdlEnum(string ValueSchema, IReadOnlyList<(string Name, JsonNode Value)> Values) : DtdlSchema;

/// <summary>An Array schema.</summary>
internal sealed record DtdlArray(DtdlSchema Element) : DtdlSchema;

/// <summary>The refusal every DTDL problem becomes, prefixed with the JSON path where it was found.</summary>
internal static class DtdlErrors
{
    public static DeviceFabricException At(string path, string message) => new(DeviceFabricErrorCode.ArgumentInvalid, $"{path}: {message}");
}
