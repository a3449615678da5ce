using System.Text.Json;
using System.Text.Json.Nodes;

namespace DeviceFabric.Twins;

/// <summary>Parses twin JSON from callers into objects, turning malformed or too-deep input into IoT Hub's 400.</summary>
internal static class TwinJson
{
    private static readonly JsonDocumentOptions s_options = new() { MaxDepth = 64 };

    public static JsonObject ParseObject(string json, string what)
    {
        try
        {
            return JsonNode.Parse(json, documentOptions: s_options) as JsonObject
                ?? throw new DeviceFabricException(DeviceFabricErrorCode.MalformedBody, $"{what} must be a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.MalformedBody, $"{what} is not valid JSON: {ex.Message}");
        }
    }

    public static JsonObject Load(string json) => JsonNode.Parse(json, documentOptions: s_options)!.AsObject();

    /// <summary>An optional object member: absent or null gives null; anything but an object is a 400.</summary>
    public static JsonObject? Member(JsonObject parent, string name, string path) => parent[name] switch
    {
        null => null,
        JsonObject o => o,
        _ => throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"{path} must be a JSON object."),
    };
}
