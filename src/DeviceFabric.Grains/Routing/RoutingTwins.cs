using System.Text.Json.Nodes;

namespace DeviceFabric.Routing;

/// <summary>The <c>$twin</c> of routing conditions and enrichments: a device's tags and properties, read once per batch.</summary>
internal static class RoutingTwins
{
    public static async Task<JsonObject?> GetAsync(IGrainFactory grains, string hub, string deviceId, Dictionary<string, JsonObject?> cache)
    {
        if (!cache.TryGetValue(deviceId, out var twin))
        {
            try
            {
                var json = await grains.GetGrain<DeviceFabric.Twins.ITwinServiceGrain>(DeviceFabric.Devices.DeviceKey.Create(hub, deviceId)).GetAsync();
                var document = JsonNode.Parse(json) as JsonObject;
                twin = new JsonObject { ["tags"] = document?["tags"]?.DeepClone(), ["properties"] = document?["properties"]?.DeepClone() };
            }
            catch (DeviceFabricException)
            {
                // A device deleted since it sent: $twin conditions are undefined for its messages.
                twin = null;
            }

            cache[deviceId] = twin;
        }

        return twin;
    }
}
