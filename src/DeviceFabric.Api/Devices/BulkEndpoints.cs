using DeviceFabric.Api.Http;
using DeviceFabric.Contracts;
using DeviceFabric.Devices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DeviceFabric.Api.Devices;

/// <summary>
/// <c>POST /devices</c>: create, update or delete up to 100 devices at once. Each item succeeds or fails on its own and
/// failures are reported per device, as IoT Hub does; a malformed batch is refused whole.
/// </summary>
internal static class BulkEndpoints
{
    public const int MaxItems = 100;
    private const long MaxBodyBytes = 1024 * 1024;

    private enum ImportMode
    {
        Create,
        Update,
        UpdateIfMatchETag,
        CreateOrUpdate,
        CreateOrUpdateIfMatchETag,
        Delete,
        DeleteIfMatchETag,
    }

    public static async Task<Ok<BulkRegistryOperationResultJson>> ImportDevicesAsync(HttpContext context, IGrainFactory grains)
    {
        var items = await JsonBody.ReadAsync(context, ContractsJsonContext.Default.ListExportImportDeviceJson, MaxBodyBytes);
        if (items.Count is 0 or > MaxItems)
        {
            throw Invalid($"A bulk operation takes 1 to {MaxItems} devices.");
        }

        var requests = items.Select(Validate).ToList();
        if (requests.GroupBy(r => r.DeviceId, StringComparer.Ordinal).Any(g => g.Count() > 1))
        {
            throw Invalid("A device id appears more than once in the bulk operation.");
        }

        var outcomes = await Task.WhenAll(requests.Select(r => ApplyAsync(r, context, grains)));
        var errors = outcomes.OfType<DeviceRegistryOperationErrorJson>().ToList();
        return TypedResults.Ok(new BulkRegistryOperationResultJson { IsSuccessful = errors.Count == 0, Errors = errors });
    }

    private static Request Validate(ExportImportDeviceJson item)
    {
        var deviceId = item.Id ?? item.DeviceId;
        DeviceIdRules.ThrowIfInvalid(deviceId);
        if (!Enum.TryParse<ImportMode>(item.ImportMode, ignoreCase: true, out var mode) || int.TryParse(item.ImportMode, out _))
        {
            throw Invalid($"importMode '{item.ImportMode}' of device {deviceId} is not one IoT Hub defines.");
        }

        var settings = mode is ImportMode.Delete or ImportMode.DeleteIfMatchETag
            ? null
            : DeviceMapper.ToSettings(item.Status, item.StatusReason, item.Authentication, item.Capabilities);
        return new Request(deviceId!, mode, settings, item.ETag);
    }

    private static async Task<DeviceRegistryOperationErrorJson?> ApplyAsync(Request request, HttpContext context, IGrainFactory grains)
    {
        var grain = DevicesEndpoints.Device(context, grains, request.DeviceId);
        var ct = context.RequestAborted;
        var ifMatch = request.Mode is ImportMode.UpdateIfMatchETag or ImportMode.CreateOrUpdateIfMatchETag or ImportMode.DeleteIfMatchETag
            ? request.ETag ?? throw Invalid($"importMode {request.Mode} of device {request.DeviceId} needs an eTag.")
            : null;
        try
        {
            switch (request.Mode)
            {
                case ImportMode.Create:
                    await grain.CreateAsync(request.Settings!, ct);
                    break;
                case ImportMode.Update or ImportMode.UpdateIfMatchETag:
                    await grain.UpdateAsync(request.Settings!, ifMatch, ct);
                    break;
                case ImportMode.CreateOrUpdate or ImportMode.CreateOrUpdateIfMatchETag:
                    if (await grain.GetAsync(ct) is null)
                    {
                        await grain.CreateAsync(request.Settings!, ct);
                    }
                    else
                    {
                        await grain.UpdateAsync(request.Settings!, ifMatch, ct);
                    }

                    break;
                default:
                    await grain.DeleteAsync(ifMatch, ct);
                    break;
            }

            return null;
        }
        catch (DeviceFabricException ex)
        {
            return new DeviceRegistryOperationErrorJson { DeviceId = request.DeviceId, ErrorCode = ex.Code.WireName(), ErrorStatus = ex.Message };
        }
    }

    private static DeviceFabricException Invalid(string message) => new(DeviceFabricErrorCode.ArgumentInvalid, message);

    private sealed record Request(string DeviceId, ImportMode Mode, DeviceSettings? Settings, string? ETag);
}
