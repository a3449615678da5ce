using System.Text.Json;
using System.Text.Json.Nodes;
using DeviceFabric.Json;

namespace DeviceFabric.Twins;

/// <summary>Reads twin JSON from callers with the fabric's one strict reader, and loads stored sections.</summary>
internal static class TwinJson
{
    private static readonly JsonDocumentOptions s_stored = new() { MaxDepth = 64 };

    public static JsonObject ParseObject(string json, string what) => StrictJson.ParseObject(json, what);

    public static JsonObject ParseObject(ReadOnlySpan<byte> utf8, string what) => StrictJson.ParseObject(utf8, what);

    /// <summary>A section as stored: written by the fabric itself, so trusted.</summary>
    public static JsonObject Load(string json) => JsonNode.Parse(json, documentOptions: s_stored)!.AsObject();

    /// <summary>An optional object member: absent or null gives null; anything but an object is a 400.</summary>
    public static JsonObject? Member(JsonObject parent, string name, string path) => parent[name] switch
    {
        null => null,
        JsonObject o => o,
        _ => throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"{path} must be a JSON object."),
    };
}
