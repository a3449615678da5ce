using System.Globalization;
using DeviceFabric.Api.Http;
using DeviceFabric.Api.Security;
using DeviceFabric.CloudToDevice;
using DeviceFabric.Contracts;
using DeviceFabric.Devices;
using DeviceFabric.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
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
        var messages = api.MapGroup(string.Empty).WithTags("Cloud-to-device messages");
        messages.MapPost("/devices/{deviceId}/messages/deviceBound", SendAsync).WithName("SendCloudToDevice")
            .WithSummary("Queues a message for the device; properties as iothub-* headers, application properties as iothub-app-*")
            .DocumentsBody<byte[]>("application/octet-stream").RequireRights(AccessRights.ServiceConnect);
        messages.MapDelete("/devices/{deviceId}/commands", PurgeAsync).WithName("PurgeCloudToDevice").WithSummary("Empties the device's queue")
            .RequireRights(AccessRights.ServiceConnect);
        messages.MapGet("/messages/serviceBound/feedback", ReceiveFeedbackAsync).WithName("ReceiveFeedback")
            .WithSummary("Takes pending feedback records, each handed out once").RequireRights(AccessRights.ServiceConnect);
    }

    private static async Task<NoContent> SendAsync(string deviceId, HttpContext context, IGrainFactory grains)
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

    private static async Task<Ok<PurgeMessageQueueResultJson>> PurgeAsync(string deviceId, HttpContext context, IGrainFactory grains)
    {
        DeviceIdRules.ThrowIfInvalid(deviceId);
        if (await grains.GetGrain<IDeviceIdentityGrain>(DeviceKey.Create(RequireRightsFilter.HubOf(context), deviceId)).GetAsync(context.RequestAborted) is null)
        {
            throw DeviceFabricException.DeviceNotFound(deviceId);
        }

        var purged = await Device(context, grains, deviceId).PurgeAsync(context.RequestAborted);
        return TypedResults.Ok(new PurgeMessageQueueResultJson { DeviceId = deviceId, TotalMessagesPurged = purged });
    }

    private static async Task<Ok<List<FeedbackRecordJson>>> ReceiveFeedbackAsync(HttpContext context, IGrainFactory grains, int? max)
    {
        var records = await grains.GetGrain<IFeedbackGrain>(RequireRightsFilter.HubOf(context)).ReceiveAsync(max ?? 100, context.RequestAborted);
        var json = records.Select(r => new FeedbackRecordJson
        {
            OriginalMessageId = r.OriginalMessageId,
            DeviceId = r.DeviceId,
            DeviceGenerationId = r.DeviceGenerationId,
            StatusCode = r.StatusCode.ToString(),
            Description = r.StatusCode.ToString(),
            EnqueuedTimeUtc = r.EnqueuedTime.UtcDateTime,
        }).ToList();
        return TypedResults.Ok(json);
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
}
