using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DeviceFabric.Portal.Hosting;

/// <summary>Small readers of the API's JSON answers, so pages show what is there and a missing field as a dash.</summary>
public static class Json
{
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    /// <summary>The value at a dotted <paramref name="path"/> as display text.</summary>
    public static string Text(JsonNode? node, string path) => At(node, path) switch
    {
        null => "—",
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        var other => other.ToJsonString(),
    };

    /// <summary>The number at <paramref name="path"/>, or 0.</summary>
    public static double Number(JsonNode? node, string path) =>
        At(node, path) is JsonValue value && double.TryParse(value.ToJsonString().Trim('"'), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : 0;

    /// <summary>The node at a dotted <paramref name="path"/>.</summary>
    public static JsonNode? At(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject o && o.TryGetPropertyValue(part, out var child) ? child : null;
        }

        return node;
    }

    /// <summary>The items of a list answer: an array, or an object's <c>value</c> array (the paged lists' shape).</summary>
    public static List<JsonObject> Items(JsonNode? answer) =>
        (answer as JsonArray ?? At(answer, "value") as JsonArray ?? [])
            .OfType<JsonObject>().ToList();

    /// <summary>The node indented for an editor or a code block.</summary>
    public static string Pretty(JsonNode? node) => node?.ToJsonString(s_indented) ?? string.Empty;

    /// <summary>Parses an editor's text; the error names the line and position.</summary>
    public static bool TryParse(string? text, out JsonNode? node, out string? error)
    {
        try
        {
            node = JsonNode.Parse(string.IsNullOrWhiteSpace(text) ? "null" : text);
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            node = null;
            error = $"Not valid JSON (line {(e.LineNumber ?? 0) + 1}, position {(e.BytePositionInLine ?? 0) + 1}).";
            return false;
        }
    }
}
