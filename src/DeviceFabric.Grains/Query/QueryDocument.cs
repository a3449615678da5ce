using System.Text.Json.Nodes;
using DeviceFabric.Registry;
using DeviceFabric.Twins;

namespace DeviceFabric.Query;

/// <summary>
/// The twin document a query sees for a device: the one twin composer (<see cref="TwinDocument"/>) over its registry row
/// and twin projection, which carry no <c>$metadata</c>, last activity or queue depth. A device whose twin was never
/// written has the empty twin of a new device.
/// </summary>
internal static class QueryDocument
{
    private const string EmptyTwin = """{"tags":{},"properties":{"desired":{"$version":1},"reported":{"$version":1}}}""";

    public static JsonObject Compose(DeviceEntry entry, bool connected, TwinProjection? twin)
    {
        var current = twin is not null && twin.GenerationId == entry.GenerationId ? twin : null;
        var sections = JsonNode.Parse(current?.Json ?? EmptyTwin)!.AsObject();
        var properties = sections["properties"]!.AsObject();
        return TwinDocument.Compose(
            TwinIdentity.Of(entry, connected),
            current?.Version ?? 1,
            Detach(sections, "tags"),
            Detach(properties, "desired"),
            Detach(properties, "reported"),
            sections.Remove("configurations", out var configurations) ? configurations as JsonObject : null);
    }

    private static JsonObject Detach(JsonObject parent, string name) =>
        parent.Remove(name, out var node) && node is JsonObject section ? section : [];
}
