using System.Text.Json;
using DeviceFabric.Api.Http;
using DeviceFabric.Api.Security;
using DeviceFabric.Contracts;
using DeviceFabric.Devices;
using DeviceFabric.Methods;
using DeviceFabric.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DeviceFabric.Api.Methods;

/// <summary>IoT Hub's direct-method API: <c>POST /twins/{id}/methods</c> answers <c>{"status":..,"payload":..}</c> from the device.</summary>
internal static class MethodsEndpoints
{
    private const long MaxBodyBytes = DirectMethodRequest.MaxPayloadBytes + (4 * 1024);

    public static void MapMethods(this RouteGroupBuilder api) =>
        api.MapPost("/twins/{deviceId}/methods", InvokeMethodAsync).WithName("InvokeDirectMethod").WithTags("Direct methods")
            .WithSummary("Calls a direct method on a connected device and returns its answer")
            .DocumentsBody<DirectMethodRequestJson>("application/json").RequireRights(AccessRights.ServiceConnect);

    private static Task<Ok<DirectMethodResponseJson>> InvokeMethodAsync(string deviceId, HttpContext context, IGrainFactory grains)
    {
        DeviceIdRules.ThrowIfInvalid(deviceId);
        return InvokeAsync(DeviceKey.Create(RequireRightsFilter.HubOf(context), deviceId), context, grains);
    }

    /// <summary>Calls the method on the device or module of <paramref name="identityKey"/> (its grain key).</summary>
    internal static async Task<Ok<DirectMethodResponseJson>> InvokeAsync(string identityKey, HttpContext context, IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync(context, ContractsJsonContext.Default.DirectMethodRequestJson, MaxBodyBytes);
        var request = new DirectMethodRequest(
            body.MethodName ?? string.Empty,
            body.Payload?.GetRawText() ?? "null",
            TimeSpan.FromSeconds(body.ResponseTimeoutInSeconds ?? (int)DirectMethodRequest.DefaultResponseTimeout.TotalSeconds),
            TimeSpan.FromSeconds(body.ConnectTimeoutInSeconds ?? 0));
        var grain = grains.GetGrain<IDeviceMethodGrain>(identityKey);
        var result = await grain.InvokeMethodAsync(request, context.RequestAborted);
        using var payload = JsonDocument.Parse(result.PayloadJson);
        return TypedResults.Ok(new DirectMethodResponseJson { Status = result.Status, Payload = payload.RootElement.Clone() });
    }
}
