using System.Text.Json.Nodes;
using DeviceFabric.Devices;

namespace DeviceFabric.Twins;

/// <summary>
/// IoT Hub's twin JSON, composed in this one place for the twin grain (REST and the SDK) and for queries (each
/// registry shard's twin projections), so the two can never drift apart. Fields the identity does not carry are left out.
/// </summary>
internal static class TwinDocument
{
    public static JsonObject Compose(TwinIdentity device, long version, JsonObject tags, JsonObject desired, JsonObject reported, JsonObject? configurations = null)
    {
        var (deviceId, moduleId) = Modules.ModuleIds.Split(device.DeviceId);
        var document = new JsonObject { ["deviceId"] = deviceId };
        if (moduleId is not null)
        {
            document["moduleId"] = moduleId;
        }

        document["etag"] = ETags.FromVersion(version);
        document["deviceEtag"] = device.DeviceETag;
        document["version"] = version;
        document["status"] = device.Status.ToWire();
        document["statusReason"] = device.StatusReason;
        document["statusUpdateTime"] = device.StatusUpdatedTime.UtcDateTime;
        document["connectionState"] = device.ConnectionState.ToString();

        if (device.LastActivityTime is { } lastActivity)
        {
            document["lastActivityTime"] = lastActivity.UtcDateTime;
        }

        if (device.CloudToDeviceMessageCount is { } count)
        {
            document["cloudToDeviceMessageCount"] = count;
        }

        document["authenticationType"] = device.AuthenticationType.ToWire();
        document["x509Thumbprint"] = new JsonObject
        {
            ["primaryThumbprint"] = device.PrimaryThumbprint,
            ["secondaryThumbprint"] = device.SecondaryThumbprint,
        };
        document["modelId"] = device.ModelId ?? string.Empty;
        if (moduleId is null)
        {
            document["capabilities"] = new JsonObject { ["iotEdge"] = device.IsEdge };
        }

        document["tags"] = tags;
        document["properties"] = new JsonObject { ["desired"] = desired, ["reported"] = reported };
        if (configurations is { Count: > 0 })
        {
            document["configurations"] = configurations;
        }

        return document;
    }
}
