using System.Text.Json;
using System.Text.Json.Nodes;

namespace DeviceFabric.Cli;

/// <summary>JSON helpers for commands: reading arguments as JSON and values at dotted paths.</summary>
internal static class CliJson
{
    /// <summary>The text at a dotted path of <paramref name="node"/>, or null.</summary>
    public static string? At(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject o ? o[part] : null;
        }

        return node switch
        {
            null => null,
            JsonValue value => value.ToString(),
            _ => node.ToJsonString(),
        };
    }

    /// <summary>
    /// Parses an argument that holds JSON, or <c>@file</c> naming a file that does (as <c>az</c> takes them); a bad
    /// one is a usage error naming the option.
    /// </summary>
    public static JsonNode Parse(string text, string what)
    {
        var json = text.StartsWith('@') ? ReadFile(text[1..], what) : text;
        try
        {
            return JsonNode.Parse(json) ?? throw new CliUsageException($"{what} is null; it must be a JSON value.");
        }
        catch (JsonException ex)
        {
            throw new CliUsageException($"{what} is not valid JSON: {ex.Message}");
        }
    }

    private static string ReadFile(string path, string what) => File.Exists(path)
        ? File.ReadAllText(path)
        : throw new CliUsageException($"{what}: the file {path} does not exist.");
}
