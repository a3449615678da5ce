using System.Globalization;
using System.Text.Json.Nodes;
using DeviceFabric.Api.Http;
using DeviceFabric.Api.Security;
using DeviceFabric.CloudToDevice;
using DeviceFabric.Devices;
using DeviceFabric.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DeviceFabric.Api.CloudToDevice;

/// <summary>
/// Cloud-to-device messages over REST, where IoT Hub uses AMQP: send (<c>POST /devices/{id}/messages/deviceBound</c>,
/// properties as <c>iothub-*</c> headers, application properties as <c>iothub-app-{name}</c>), purge
/// (<c>DELETE /devices/{id}/commands</c>, as IoT Hub's) and receive feedback (<c>GET /messages/serviceBound/feedback</c>,
/// which hands each record out once).
/// </summary>
internal static class CloudToDeviceEndpoints
{
    private const string AppPropertyPrefix = "iothub-app-";

    public static void MapCloudToDevice(this RouteGroupBuilder api)
    {
        api.MapPost("/devices/{deviceId}/messages/deviceBound", Send).WithName("SendCloudToDevice").RequireRights(AccessRights.ServiceConnect);
        api.MapDelete("/devices/{deviceId}/commands", Purge).WithName("PurgeCloudToDevice").RequireRights(AccessRights.ServiceConnect);
        api.MapGet("/messages/serviceBound/feedback", ReceiveFeedback).WithName("ReceiveFeedback").RequireRights(AccessRights.ServiceConnect);
    }

    private static async Task<IResult> Send(string deviceId, HttpContext context, IGrainFactory grains)
    {
        DeviceIdRules.ThrowIfInvalid(deviceId);
        var headers = context.Request.Headers;
        var body = await JsonBody.ReadBytesAsync(context, CloudToDeviceMessage.MaxBodyBytes);
        var message = new CloudToDeviceMessage(
            body,
            Header(headers, "iothub-messageid"),
            Header(headers, "iothub-correlationid"),
            Header(headers, "iothub-userid"),
            Ack(Header(headers, "iothub-ack")),
            Expiry(Header(headers, "iothub-expiry")),
            Header(headers, "iothub-contenttype") ?? context.Request.ContentType,
            Header(headers, "iothub-contentencoding"),
            headers.Where(h => h.Key.StartsWith(AppPropertyPrefix, StringComparison.OrdinalIgnoreCase))
                .ToDictionary(h => h.Key[AppPropertyPrefix.Length..], h => h.Value.ToString(), StringComparer.Ordinal));
        var messageId = await Device(context, grains, deviceId).SendAsync(message, context.RequestAborted);
        context.Response.Headers["iothub-messageid"] = messageId;
        return TypedResults.NoContent();
    }

    private static async Task<IResult> Purge(string deviceId, HttpContext context, IGrainFactory grains)
    {
        DeviceIdRules.ThrowIfInvalid(deviceId);
        if (await grains.GetGrain<IDeviceIdentityGrain>(DeviceKey.Create(RequireRightsFilter.HubOf(context), deviceId)).GetAsync(context.RequestAborted) is null)
        {
            throw DeviceFabricException.DeviceNotFound(deviceId);
        }

        var purged = await Device(context, grains, deviceId).PurgeAsync(context.RequestAborted);
        return Json(new JsonObject { ["deviceId"] = deviceId, ["totalMessagesPurged"] = purged });
    }

    private static async Task<IResult> ReceiveFeedback(HttpContext context, IGrainFactory grains, int? max)
    {
        var records = await grains.GetGrain<IFeedbackGrain>(RequireRightsFilter.HubOf(context)).ReceiveAsync(max ?? 100, context.RequestAborted);
        var array = new JsonArray();
        foreach (var r in records)
        {
            array.Add(new JsonObject
            {
                ["originalMessageId"] = r.OriginalMessageId,
                ["deviceId"] = r.DeviceId,
                ["deviceGenerationId"] = r.DeviceGenerationId,
                ["statusCode"] = r.StatusCode.ToString(),
                ["description"] = r.StatusCode.ToString(),
                ["enqueuedTimeUtc"] = r.EnqueuedTime.UtcDateTime,
            });
        }

        return Json(array);
    }

    private static ICloudToDeviceGrain Device(HttpContext context, IGrainFactory grains, string deviceId) =>
        grains.GetGrain<ICloudToDeviceGrain>(DeviceKey.Create(RequireRightsFilter.HubOf(context), deviceId));

    private static string? Header(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value.ToString() : null;

    private static FeedbackRequest Ack(string? value) => value?.ToLowerInvariant() switch
    {
        null or "none" => FeedbackRequest.None,
        "positive" => FeedbackRequest.Positive,
        "negative" => FeedbackRequest.Negative,
        "full" => FeedbackRequest.Full,
        _ => throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "iothub-ack must be none, positive, negative or full."),
    };

    private static DateTimeOffset? Expiry(string? value) =>
        value is null ? null
        : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expiry) ? expiry
        : throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "iothub-expiry must be an ISO 8601 time.");

    private static IResult Json(JsonNode node) => TypedResults.Text(node.ToJsonString(), "application/json; charset=utf-8");
}
