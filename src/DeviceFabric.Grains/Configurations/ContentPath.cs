using System.Text.Json.Nodes;

namespace DeviceFabric.Configurations;

/// <summary>
/// One entry of a configuration's content: a twin path (<c>properties.desired</c>, <c>properties.desired.a.b</c>,
/// <c>tags.x</c>) and the value that replaces the subtree there (null removes it).
/// </summary>
/// <param name="Key">The path as written in the content, which also names it in a twin's ownership map.</param>
/// <param name="Tags">True for a path into the tags, false for one into the desired properties.</param>
/// <param name="Segments">The path inside the section; empty for the whole section.</param>
/// <param name="Value">The value to write.</param>
internal sealed record ContentPath(string Key, bool Tags, IReadOnlyList<string> Segments, JsonNode? Value)
{
    public const string DesiredPrefix = "properties.desired";
    public const string TagsPrefix = "tags";

    /// <summary>Parses a content key, or returns null when it names neither the desired properties nor the tags.</summary>
    public static ContentPath? Parse(string key, JsonNode? value, bool allowTags)
    {
        foreach (var (prefix, tags) in new[] { (DesiredPrefix, false), (TagsPrefix, true) })
        {
            if ((tags && !allowTags) || !key.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (key.Length == prefix.Length)
            {
                return new ContentPath(key, tags, [], value);
            }

            if (key[prefix.Length] != '.')
            {
                continue;
            }

            var segments = key[(prefix.Length + 1)..].Split('.');
            return segments.Any(s => s.Length == 0) ? null : new ContentPath(key, tags, segments, value);
        }

        return null;
    }
}
