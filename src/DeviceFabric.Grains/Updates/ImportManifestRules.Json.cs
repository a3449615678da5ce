using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DeviceFabric.Updates;

/// <summary>How the rules read JSON and word their refusals: paths, expected shapes, strings and integers.</summary>
internal static partial class ImportManifestRules
{
    /// <summary>Names longer than this are cut in messages, so a hostile key cannot blow up an error response.</summary>
    private const int MaxShownName = 64;

    /// <summary>Characters that would make a dotted path ambiguous, so names holding them are shown as <c>['name']</c>.</summary>
    private static readonly SearchValues<char> s_bracketed = SearchValues.Create(".[]'\" \t\r\n");

    /// <summary>The JSON path of a member: dotted when its name reads plainly, else <c>['name']</c>.</summary>
    private static string Child(string path, string name)
    {
        var shown = name.Length <= MaxShownName ? name : string.Concat(name.AsSpan(0, MaxShownName), "...");
        return name.Length > 0 && !name.AsSpan().ContainsAny(s_bracketed)
            ? $"{path}.{shown}"
            : $"{path}['{shown.Replace("'", "\\'", StringComparison.Ordinal)}']";
    }

    /// <summary>A value as it may appear inside a message: cut when long, so a hostile value cannot blow up an error response.</summary>
    private static string Shown(string value) =>
        value.Length <= MaxShownName ? value : string.Concat(value.AsSpan(0, MaxShownName), "...");

    /// <summary>The value as an object, or the refusal that says what <paramref name="expected"/> it had to be.</summary>
    private static JsonObject RequireObject(JsonNode? node, string path, string expected) =>
        node as JsonObject ?? throw Expected(node, path, expected);

    /// <summary>The value as an array of <paramref name="min"/> to <paramref name="max"/> <paramref name="items"/>.</summary>
    private static JsonArray RequireArray(JsonNode? node, string path, int min, int max, string items)
    {
        var array = node as JsonArray ?? throw Expected(node, path, $"an array of {min}-{max} {items}");
        return array.Count >= min && array.Count <= max
            ? array
            : throw Invalid($"{path} has {array.Count} {items}: give {min} to {max}.");
    }

    /// <summary>A string of 1 to <paramref name="max"/> characters.</summary>
    private static string RequireString(JsonNode? node, string path, int max)
    {
        var text = AsString(node);
        return text is { Length: > 0 } && text.Length <= max ? text : throw Expected(node, path, $"a string of 1-{max} characters");
    }

    /// <summary>A member that may be left out (or null), and must be a string of 1 to <paramref name="max"/> characters when given.</summary>
    private static string? OptionalString(JsonObject owner, string name, string path, int max) =>
        owner[name] is { } value ? RequireString(value, Child(path, name), max) : null;

    /// <summary>The refusal of a missing or mistyped value, worded for which of the two it is.</summary>
    private static DeviceFabricException Expected(JsonNode? node, string path, string expected) =>
        Invalid(node is null ? $"{path} is missing: it must be {expected}." : $"{path} must be {expected}.");

    /// <summary>The text of a JSON string, or null for anything else (absent, null, number, object...).</summary>
    private static string? AsString(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>The 400 every rule of this class throws.</summary>
    private static DeviceFabricException Invalid(string message) => new(DeviceFabricErrorCode.ArgumentInvalid, message);

    /// <summary>Whether the text holds a control character (C0, DEL or C1), which no stored file name may.</summary>
    private static bool HasControl(string text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Reads a JSON integer. Only a plain integer literal counts, so <c>1.5</c>, <c>1.0</c> and <c>1e3</c> are refused
    /// rather than rounded into a size the file may not have.
    /// </summary>
    private static bool TryGetInteger(JsonNode? node, out long value)
    {
        value = 0;
        return node is JsonValue number
            && number.GetValueKind() == JsonValueKind.Number
            && long.TryParse(number.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }
}
