using System.Text;
using System.Text.Json.Nodes;
using DeviceFabric.CloudToDevice;
using DeviceFabric.Devices;
using Microsoft.Extensions.Logging;

namespace DeviceFabric.Twins;

/// <summary>
/// Device Update for devices without the ADU agent: a device whose reported <c>deviceUpdate.agent.delivery</c> is
/// <c>c2d</c> also gets each deployment's service object as a cloud-to-device message (content type
/// <c>application/json</c>, property <c>deviceUpdate=service</c>) when a deployment changes its desired
/// <c>deviceUpdate</c>, so it needs no desired-property handling; it reports the outcome in its twin as an agent does.
/// The message is sent after the desired properties are stored, so a device that missed it still finds it there.
/// </summary>
internal sealed partial class TwinGrain
{
    private const string MessageDelivery = "c2d";

    /// <summary>
    /// What the device is sent of a configured desired change: a change to the <c>deviceUpdate</c> component goes whole,
    /// as the agent reads its <c>service</c> object from the patch (a writable property's value is whole), not merged.
    /// </summary>
    private JsonObject WithWholeUpdateComponent(JsonObject desiredPatch)
    {
        if (desiredPatch["deviceUpdate"] is not JsonObject || _desired.Properties["deviceUpdate"] is not JsonObject whole)
        {
            return desiredPatch;
        }

        var pushed = desiredPatch.DeepClone().AsObject();
        pushed["deviceUpdate"] = whole.DeepClone();
        return pushed;
    }

    private async Task SendUpdateMessageAsync(JsonObject? desiredPatch)
    {
        if (IsModule || desiredPatch?["deviceUpdate"]?["service"] is not JsonObject service
            || (_reported.Properties["deviceUpdate"]?["agent"]?["delivery"] as JsonValue)?.TryGetValue<string>(out var delivery) != true
            || delivery != MessageDelivery)
        {
            return;
        }

        var workflow = service["workflow"];
        var messageId = $"{workflow?["id"]}:{workflow?["action"]}:{workflow?["retryTimestamp"]}";
        try
        {
            await GrainFactory.GetGrain<ICloudToDeviceGrain>(DeviceKey.Create(_hub, _deviceId)).SendAsync(new CloudToDeviceMessage(
                Encoding.UTF8.GetBytes(service.ToJsonString()),
                MessageId: messageId,
                ExpiresAt: clock.Time.GetUtcNow() + CloudToDeviceMessage.MaxTimeToLive,
                ContentType: "application/json",
                ContentEncoding: "utf-8",
                Properties: new Dictionary<string, string> { ["deviceUpdate"] = "service" }));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The desired properties hold it already; the device can read them.
            LogUpdateMessageLost(logger, ex, _hub, _deviceId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Twin of {Hub}/{DeviceId}: its update deployment could not be sent as a cloud-to-device message; its desired properties hold it")]
    private static partial void LogUpdateMessageLost(ILogger logger, Exception exception, string hub, string deviceId);
}
