using System.Globalization;
using DeviceFabric.Api.Http;
using DeviceFabric.Api.Security;
using DeviceFabric.Contracts;
using DeviceFabric.Devices;
using DeviceFabric.Registry;
using DeviceFabric.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DeviceFabric.Api.Devices;

/// <summary>IoT Hub's device registry: <c>/devices/{id}</c>, <c>/devices</c> and <c>/statistics/devices</c>.</summary>
internal static class DevicesEndpoints
{
    public const string ContinuationHeader = "x-ms-continuation";
    private const long MaxDeviceBodyBytes = 64 * 1024;

    public static void MapDevices(this RouteGroupBuilder api)
    {
        var devices = api.MapGroup(string.Empty).WithTags("Devices");
        devices.MapPut("/devices/{deviceId}", PutDeviceAsync).WithName("PutDevice").WithSummary("Creates a device, or updates it when If-Match is given")
            .DocumentsBody<DeviceJson>("application/json").RequireRights(AccessRights.RegistryWrite);
        devices.MapGet("/devices/{deviceId}", GetDeviceAsync).WithName("GetDevice").WithSummary("Reads a device").RequireRights(AccessRights.RegistryRead);
        devices.MapDelete("/devices/{deviceId}", DeleteDeviceAsync).WithName("DeleteDevice").WithSummary("Deletes a device (If-Match honoured)")
            .RequireRights(AccessRights.RegistryWrite);
        devices.MapGet("/devices", ListDevicesAsync).WithName("ListDevices").WithSummary("Lists devices in id order, paged by x-ms-continuation")
            .RequireRights(AccessRights.RegistryRead);
        devices.MapPost("/devices", BulkEndpoints.ImportDevicesAsync).WithName("BulkDevices").WithSummary("Creates, updates or deletes up to 100 devices")
            .DocumentsBody<List<ExportImportDeviceJson>>("application/json").RequireRights(AccessRights.RegistryWrite);
        devices.MapGet("/statistics/devices", GetStatisticsAsync).WithName("GetDeviceStatistics").WithSummary("Counts the hub's devices")
            .RequireRights(AccessRights.RegistryRead);
    }

    /// <summary>Creates the device, or updates it when the request carries <c>If-Match</c> (as the Azure SDKs do).</summary>
    private static async Task<Ok<DeviceJson>> PutDeviceAsync(string deviceId, HttpContext context, IGrainFactory grains)
    {
        DeviceIdRules.ThrowIfInvalid(deviceId);
        var body = await JsonBody.ReadAsync(context, ContractsJsonContext.Default.DeviceJson, MaxDeviceBodyBytes);
        if (body.DeviceId is not null && !string.Equals(body.DeviceId, deviceId, StringComparison.Ordinal))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "The deviceId in the body differs from the one in the path.");
        }

        var settings = DeviceMapper.ToSettings(body.Status, body.StatusReason, body.Authentication, body.Capabilities);
        var grain = Device(context, grains, deviceId);
        var ifMatch = context.Request.Headers.IfMatch.ToString();
        var device = string.IsNullOrEmpty(ifMatch)
            ? await grain.CreateAsync(settings, context.RequestAborted)
            : await grain.UpdateAsync(settings, ifMatch, context.RequestAborted);
        return DeviceResult(context, device);
    }

    private static async Task<Ok<DeviceJson>> GetDeviceAsync(string deviceId, HttpContext context, IGrainFactory grains)
    {
        DeviceIdRules.ThrowIfInvalid(deviceId);
        var device = await Device(context, grains, deviceId).GetAsync(context.RequestAborted)
            ?? throw DeviceFabricException.DeviceNotFound(deviceId);
        return DeviceResult(context, device);
    }

    private static async Task<NoContent> DeleteDeviceAsync(string deviceId, HttpContext context, IGrainFactory grains)
    {
        DeviceIdRules.ThrowIfInvalid(deviceId);
        await Device(context, grains, deviceId).DeleteAsync(context.Request.Headers.IfMatch.ToString(), context.RequestAborted);
        return TypedResults.NoContent();
    }

    /// <summary>Lists up to <c>top</c> devices (default and maximum 1000); <c>x-ms-continuation</c> pages on, beyond IoT Hub.</summary>
    private static async Task<Ok<List<DeviceJson>>> ListDevicesAsync(HttpContext context, IGrainFactory grains, int? top)
    {
        var pageSize = top ?? IDeviceRegistryGrain.MaxPageSize;
        var registry = grains.GetGrain<IDeviceRegistryGrain>(RequireRightsFilter.HubOf(context));
        var page = await registry.ListAsync(pageSize, context.Request.Headers[ContinuationHeader].ToString(), context.RequestAborted);
        if (page.ContinuationToken is not null)
        {
            context.Response.Headers[ContinuationHeader] = page.ContinuationToken;
        }

        return TypedResults.Ok(page.Devices.Select(DeviceMapper.ToJson).ToList());
    }

    private static async Task<Ok<RegistryStatisticsJson>> GetStatisticsAsync(HttpContext context, IGrainFactory grains)
    {
        var stats = await grains.GetGrain<IDeviceRegistryGrain>(RequireRightsFilter.HubOf(context)).GetStatisticsAsync(context.RequestAborted);
        var json = new RegistryStatisticsJson
        {
            TotalDeviceCount = stats.TotalDeviceCount,
            EnabledDeviceCount = stats.EnabledDeviceCount,
            DisabledDeviceCount = stats.DisabledDeviceCount,
        };
        return TypedResults.Ok(json);
    }

    internal static IDeviceIdentityGrain Device(HttpContext context, IGrainFactory grains, string deviceId) =>
        grains.GetGrain<IDeviceIdentityGrain>(DeviceKey.Create(RequireRightsFilter.HubOf(context), deviceId));

    private static Ok<DeviceJson> DeviceResult(HttpContext context, DeviceIdentity device)
    {
        context.Response.Headers.ETag = string.Create(CultureInfo.InvariantCulture, $"\"{device.ETag}\"");
        return TypedResults.Ok(DeviceMapper.ToJson(device));
    }
}
