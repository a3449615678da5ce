using System.Text.Json.Nodes;

namespace DeviceFabric.Configurations;

/// <summary>Whether two contents say the same, whatever their JSON's spacing or key order (the SDKs send back what they read).</summary>
internal static class ContentComparer
{
    public static bool Same(ConfigurationContent a, ConfigurationContent b) =>
        Same(a.DeviceContent, b.DeviceContent) && Same(a.ModuleContent, b.ModuleContent)
        && a.ModulesContent.Count == b.ModulesContent.Count
        && a.ModulesContent.All(m => b.ModulesContent.TryGetValue(m.Key, out var other) && Same(m.Value, other));

    private static bool Same(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var other) && JsonNode.DeepEquals(Parse(p.Value), Parse(other)));

    private static JsonNode? Parse(string json)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException)
        {
            return JsonValue.Create(json);
        }
    }
}
