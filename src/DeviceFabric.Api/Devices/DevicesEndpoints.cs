using System.Globalization;
using DeviceFabric.Api.Http;
using DeviceFabric.Api.Security;
using DeviceFabric.Contracts;
using DeviceFabric.Devices;
using DeviceFabric.Registry;
using DeviceFabric.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DeviceFabric.Api.Devices;

/// <summary>IoT Hub's device registry: <c>/devices/{id}</c>, <c>/devices</c> and <c>/statistics/devices</c>.</summary>
internal static class DevicesEndpoints
{
    public const string ContinuationHeader = "x-ms-continuation";
    private const long MaxDeviceBodyBytes = 64 * 1024;

    public static void MapDevices(this RouteGroupBuilder api)
    {
        api.MapPut("/devices/{deviceId}", PutDevice).WithName("PutDevice").RequireRights(AccessRights.RegistryWrite);
        api.MapGet("/devices/{deviceId}", GetDevice).WithName("GetDevice").RequireRights(AccessRights.RegistryRead);
        api.MapDelete("/devices/{deviceId}", DeleteDevice).WithName("DeleteDevice").RequireRights(AccessRights.RegistryWrite);
        api.MapGet("/devices", ListDevices).WithName("ListDevices").RequireRights(AccessRights.RegistryRead);
        api.MapPost("/devices", BulkEndpoints.ImportDevices).WithName("BulkDevices").RequireRights(AccessRights.RegistryWrite);
        api.MapGet("/statistics/devices", GetStatistics).WithName("GetDeviceStatistics").RequireRights(AccessRights.RegistryRead);
    }

    /// <summary>Creates the device, or updates it when the request carries <c>If-Match</c> (as the Azure SDKs do).</summary>
    private static async Task<IResult> PutDevice(string deviceId, HttpContext context, IGrainFactory grains)
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

    private static async Task<IResult> GetDevice(string deviceId, HttpContext context, IGrainFactory grains)
    {
        DeviceIdRules.ThrowIfInvalid(deviceId);
        var device = await Device(context, grains, deviceId).GetAsync(context.RequestAborted)
            ?? throw DeviceFabricException.DeviceNotFound(deviceId);
        return DeviceResult(context, device);
    }

    private static async Task<IResult> DeleteDevice(string deviceId, HttpContext context, IGrainFactory grains)
    {
        DeviceIdRules.ThrowIfInvalid(deviceId);
        await Device(context, grains, deviceId).DeleteAsync(context.Request.Headers.IfMatch.ToString(), context.RequestAborted);
        return TypedResults.NoContent();
    }

    /// <summary>Lists up to <c>top</c> devices (default and maximum 1000); <c>x-ms-continuation</c> pages on, beyond IoT Hub.</summary>
    private static async Task<IResult> ListDevices(HttpContext context, IGrainFactory grains, int? top)
    {
        var pageSize = top ?? IDeviceRegistryGrain.MaxPageSize;
        var registry = grains.GetGrain<IDeviceRegistryGrain>(RequireRightsFilter.HubOf(context));
        var page = await registry.ListAsync(pageSize, context.Request.Headers[ContinuationHeader].ToString(), context.RequestAborted);
        if (page.ContinuationToken is not null)
        {
            context.Response.Headers[ContinuationHeader] = page.ContinuationToken;
        }

        return TypedResults.Json(page.Devices.Select(DeviceMapper.ToJson).ToList(), ContractsJsonContext.Default.ListDeviceJson);
    }

    private static async Task<IResult> GetStatistics(HttpContext context, IGrainFactory grains)
    {
        var stats = await grains.GetGrain<IDeviceRegistryGrain>(RequireRightsFilter.HubOf(context)).GetStatisticsAsync(context.RequestAborted);
        var json = new RegistryStatisticsJson
        {
            TotalDeviceCount = stats.TotalDeviceCount,
            EnabledDeviceCount = stats.EnabledDeviceCount,
            DisabledDeviceCount = stats.DisabledDeviceCount,
        };
        return TypedResults.Json(json, ContractsJsonContext.Default.RegistryStatisticsJson);
    }

    internal static IDeviceIdentityGrain Device(HttpContext context, IGrainFactory grains, string deviceId) =>
        grains.GetGrain<IDeviceIdentityGrain>(DeviceKey.Create(RequireRightsFilter.HubOf(context), deviceId));

    private static IResult DeviceResult(HttpContext context, DeviceIdentity device)
    {
        context.Response.Headers.ETag = string.Create(CultureInfo.InvariantCulture, $"\"{device.ETag}\"");
        return TypedResults.Json(DeviceMapper.ToJson(device), ContractsJsonContext.Default.DeviceJson);
    }
}
