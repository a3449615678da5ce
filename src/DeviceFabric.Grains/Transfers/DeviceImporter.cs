using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DeviceFabric.Contracts;
using DeviceFabric.Devices;
using DeviceFabric.Provisioning;
using DeviceFabric.Twins;

namespace DeviceFabric.Transfers;

/// <summary>
/// Applies one line of an import file in IoT Hub's bulk format: its <c>importMode</c> (default <c>createOrUpdate</c>,
/// any case) to the identity, then its tags and desired properties to the twin (replacing them) and its reported
/// properties (merged, as the device would report them). A line that fails throws the reason; nothing of it is left half
/// done that a second run would not finish.
/// </summary>
internal static class DeviceImporter
{
    private enum ImportMode
    {
        CreateOrUpdate,
        Create,
        Update,
        UpdateIfMatchETag,
        CreateOrUpdateIfMatchETag,
        Delete,
        DeleteIfMatchETag,
        UpdateTwin,
        UpdateTwinIfMatchETag,
    }

    /// <summary>Parses a line; throws DeserializationError when it is not a device of the format.</summary>
    public static ExportImportDeviceJson Parse(ReadOnlyMemory<byte> line)
    {
        try
        {
            return JsonSerializer.Deserialize(line.Span, ContractsJsonContext.Default.ExportImportDeviceJson)
                ?? throw Malformed("The line is null, not a device.");
        }
        catch (JsonException ex)
        {
            throw Malformed($"Invalid device format: {ex.Message}");
        }
    }

    /// <summary>The device id the line names, when it names one.</summary>
    public static string? IdOf(ExportImportDeviceJson device) => device.Id ?? device.DeviceId;

    public static async Task ApplyAsync(IGrainFactory grains, string hub, ExportImportDeviceJson device, CancellationToken cancellationToken)
    {
        var deviceId = IdOf(device);
        DeviceIdRules.ThrowIfInvalid(deviceId);
        var mode = ModeOf(device.ImportMode);
        var key = DeviceKey.Create(hub, deviceId!);
        var identity = grains.GetGrain<IDeviceIdentityGrain>(key);
        var etag = mode is ImportMode.UpdateIfMatchETag or ImportMode.CreateOrUpdateIfMatchETag or ImportMode.DeleteIfMatchETag
            ? device.ETag ?? throw Invalid($"importMode {mode} needs an eTag.")
            : null;
        switch (mode)
        {
            case ImportMode.Delete or ImportMode.DeleteIfMatchETag:
                await identity.DeleteAsync(etag, cancellationToken);
                return;
            case ImportMode.UpdateTwin or ImportMode.UpdateTwinIfMatchETag:
                if (await identity.GetAsync(cancellationToken) is null)
                {
                    throw new DeviceFabricException(DeviceFabricErrorCode.DeviceNotFound, $"Device {deviceId} does not exist.");
                }

                var twinETag = mode == ImportMode.UpdateTwinIfMatchETag
                    ? device.TwinETag ?? throw Invalid("importMode updateTwinIfMatchETag needs a twinETag.")
                    : "*";
                await ApplyTwinAsync(grains, key, device, twinETag, cancellationToken);
                return;
        }

        var settings = DeviceMapper.ToSettings(device.Status, device.StatusReason, device.Authentication, device.Capabilities);
        var exists = mode != ImportMode.Create && await identity.GetAsync(cancellationToken) is not null;
        if (mode is ImportMode.Update or ImportMode.UpdateIfMatchETag && !exists)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.DeviceNotFound, $"Device {deviceId} does not exist.");
        }

        if (exists)
        {
            await identity.UpdateAsync(settings, etag, cancellationToken);
        }
        else
        {
            await identity.CreateAsync(settings, cancellationToken);
        }

        await ApplyTwinAsync(grains, key, device, "*", cancellationToken);
    }

    /// <summary>Tags and desired replace the twin's when the line has them; reported properties are merged.</summary>
    private static async Task ApplyTwinAsync(IGrainFactory grains, string key, ExportImportDeviceJson device, string twinETag, CancellationToken cancellationToken)
    {
        var desired = RegisteredTwin.WithoutMetadata(device.Properties?.Desired);
        if (device.Tags is not null || desired is not null)
        {
            var twin = new JsonObject
            {
                ["tags"] = device.Tags?.DeepClone() ?? new JsonObject(),
                ["properties"] = new JsonObject { ["desired"] = desired ?? new JsonObject() },
            };
            await grains.GetGrain<ITwinServiceGrain>(key).ReplaceAsync(twin.ToJsonString(), twinETag, cancellationToken);
        }

        if (RegisteredTwin.WithoutMetadata(device.Properties?.Reported) is { Count: > 0 } reported)
        {
            await grains.GetGrain<ITwinSessionGrain>(key).PatchReportedAsync(Encoding.UTF8.GetBytes(reported.ToJsonString()), cancellationToken);
        }
    }

    private static ImportMode ModeOf(string? mode)
    {
        if (string.IsNullOrEmpty(mode))
        {
            return ImportMode.CreateOrUpdate;
        }

        return Enum.TryParse<ImportMode>(mode, ignoreCase: true, out var parsed) && !int.TryParse(mode, out _)
            ? parsed
            : throw Invalid($"importMode '{mode}' is not one IoT Hub defines.");
    }

    private static DeviceFabricException Invalid(string message) => new(DeviceFabricErrorCode.ArgumentInvalid, message);

    private static DeviceFabricException Malformed(string message) => new(DeviceFabricErrorCode.DeserializationError, message);
}
