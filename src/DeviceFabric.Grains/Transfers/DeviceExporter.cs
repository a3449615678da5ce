using System.Text.Json;
using System.Text.Json.Nodes;
using DeviceFabric.Contracts;
using DeviceFabric.Devices;
using DeviceFabric.Json;

namespace DeviceFabric.Transfers;

/// <summary>One device and its twin as a line of IoT Hub's export format (<c>devices.txt</c>).</summary>
internal static class DeviceExporter
{
    public static byte[] Line(DeviceIdentity device, string twinJson, bool excludeKeys)
    {
        var twin = StrictJson.ParseObject(twinJson, "The twin");
        var authentication = DeviceMapper.ToJson(device.Authentication);
        if (excludeKeys)
        {
            authentication.SymmetricKey = new SymmetricKeyJson();
        }

        var line = new ExportImportDeviceJson
        {
            Id = device.DeviceId,
            ETag = device.ETag,
            Status = device.Status.ToWire(),
            StatusReason = device.StatusReason,
            Authentication = authentication,
            Capabilities = new CapabilitiesJson { IotEdge = device.IsEdge },
            TwinETag = twin["etag"]?.GetValue<string>(),
            Tags = twin["tags"]?.DeepClone() as JsonObject ?? [],
            Properties = new TwinPropertiesJson
            {
                Desired = twin["properties"]?["desired"]?.DeepClone() as JsonObject ?? [],
                Reported = twin["properties"]?["reported"]?.DeepClone() as JsonObject ?? [],
            },
        };
        return JsonSerializer.SerializeToUtf8Bytes(line, ContractsJsonContext.Default.ExportImportDeviceJson);
    }
}
