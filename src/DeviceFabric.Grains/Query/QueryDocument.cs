using System.Text.Json.Nodes;
using DeviceFabric.Devices;
using DeviceFabric.Registry;

namespace DeviceFabric.Query;

/// <summary>
/// The twin document a query sees for a device, composed from its registry row and twin projection: IoT Hub's twin
/// JSON without <c>$metadata</c>. A device whose twin was never written has the empty twin of a new device.
/// </summary>
internal static class QueryDocument
{
    private const string EmptyTwin = """{"tags":{},"properties":{"desired":{"$version":1},"reported":{"$version":1}}}""";

    public static JsonObject Compose(DeviceEntry entry, bool connected, TwinProjection? twin)
    {
        var current = twin is not null && twin.GenerationId == entry.GenerationId ? twin : null;
        var sections = JsonNode.Parse(current?.Json ?? EmptyTwin)!.AsObject();
        var version = current?.Version ?? 1;
        var document = new JsonObject
        {
            ["deviceId"] = entry.DeviceId,
            ["etag"] = ETags.FromVersion(version),
            ["deviceEtag"] = entry.ETag,
            ["version"] = version,
            ["status"] = entry.Status.ToWire(),
            ["statusReason"] = entry.StatusReason,
            ["statusUpdateTime"] = entry.StatusUpdatedTime.UtcDateTime,
            ["connectionState"] = connected ? "Connected" : "Disconnected",
            ["authenticationType"] = entry.AuthenticationType.ToWire(),
            ["modelId"] = entry.ModelId ?? string.Empty,
            ["capabilities"] = new JsonObject { ["iotEdge"] = entry.IsEdge },
        };

        foreach (var name in (string[])["tags", "properties"])
        {
            if (sections.Remove(name, out var section))
            {
                document[name] = section;
            }
        }

        return document;
    }
}
