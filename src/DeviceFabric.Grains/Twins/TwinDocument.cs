using System.Text.Json.Nodes;
using DeviceFabric.Devices;

namespace DeviceFabric.Twins;

/// <summary>Composes IoT Hub's twin JSON from the device's identity and the twin's sections.</summary>
internal static class TwinDocument
{
    public static JsonObject Compose(DeviceIdentity device, long version, TwinSection tags, TwinSection desired, TwinSection reported) => new()
    {
        ["deviceId"] = device.DeviceId,
        ["etag"] = ETags.FromVersion(version),
        ["deviceEtag"] = device.ETag,
        ["version"] = version,
        ["status"] = device.Status.ToWire(),
        ["statusReason"] = device.StatusReason,
        ["statusUpdateTime"] = device.StatusUpdatedTime.UtcDateTime,
        ["connectionState"] = device.ConnectionState.ToString(),
        ["lastActivityTime"] = device.LastActivityTime.UtcDateTime,
        ["cloudToDeviceMessageCount"] = device.CloudToDeviceMessageCount,
        ["authenticationType"] = device.Authentication.Type.ToWire(),
        ["x509Thumbprint"] = new JsonObject
        {
            ["primaryThumbprint"] = device.Authentication.PrimaryThumbprint,
            ["secondaryThumbprint"] = device.Authentication.SecondaryThumbprint,
        },
        ["modelId"] = device.ModelId ?? string.Empty,
        ["capabilities"] = new JsonObject { ["iotEdge"] = device.IsEdge },
        ["tags"] = tags.Properties.DeepClone(),
        ["properties"] = new JsonObject
        {
            ["desired"] = desired.ToJson(withMetadata: true),
            ["reported"] = reported.ToJson(withMetadata: true),
        },
    };
}
