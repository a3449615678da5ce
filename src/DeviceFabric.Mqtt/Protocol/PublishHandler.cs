using System.Buffers;
using DeviceFabric.Mqtt.Hosting;
using DeviceFabric.Mqtt.Sessions;
using DeviceFabric.Mqtt.Telemetry;
using DeviceFabric.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace DeviceFabric.Mqtt.Protocol;

/// <summary>
/// PUBLISH and SUBSCRIBE from devices. Nothing is routed inside MQTTnet: telemetry goes to the hub's event stream and
/// the PUBACK waits until the stream has accepted it. A device that publishes outside its own topics, uses QoS 2 or
/// exceeds the size limit is disconnected, as IoT Hub does; a subscription outside its own topics is refused.
/// </summary>
internal sealed partial class PublishHandler(
    TelemetryPublisher telemetry,
    TwinRequestHandler twins,
    MethodResponseHandler methods,
    Provisioning.ProvisioningRequestHandler provisioning,
    IGrainFactory grains,
    FrontEndLogFilter logFilter,
    MqttInstruments instruments,
    IOptions<MqttFrontEndOptions> options,
    TimeProvider time,
    ILogger<PublishHandler> logger)
{
    public async Task InterceptPublishAsync(InterceptingPublishEventArgs e)
    {
        e.ProcessPublish = false;
        if (Provisioning.ProvisioningConnection.From(e.SessionItems) is { } registering)
        {
            await provisioning.HandleAsync(e, registering);
            return;
        }

        if (DeviceConnection.From(e.SessionItems) is not { } connection)
        {
            e.CloseConnection = true;
            return;
        }

        var message = e.ApplicationMessage;
        var now = time.GetUtcNow();
        if (message.QualityOfServiceLevel == MqttQualityOfServiceLevel.ExactlyOnce)
        {
            Close(e, connection, "QoS 2 is not supported");
            return;
        }

        switch (IotHubTopics.ClassifyPublish(message.Topic, connection.TopicPath, out var bag))
        {
            case PublishKind.Telemetry:
                // Counted first, so the activity report this message may trigger already carries it.
                await PublishTelemetryAsync(e, connection, bag, now);
                Touch(connection, now);
                break;
            case PublishKind.Twin:
                Touch(connection, now);
                if (!await twins.HandleAsync(connection, message))
                {
                    Close(e, connection, $"unknown twin operation ({Truncate(message.Topic)})");
                }

                break;
            case PublishKind.MethodResponse:
                Touch(connection, now);
                methods.Handle(connection, message);
                break;
            default:
                Close(e, connection, $"publish to a topic that is not the device's own ({Truncate(message.Topic)})");
                break;
        }
    }

    public Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs e)
    {
        if (Provisioning.ProvisioningConnection.From(e.SessionItems) is not null)
        {
            // A registering device may hear its answers and nothing else; DPS grants QoS 1 to a QoS 2 subscription.
            e.Response.ReasonCode = e.TopicFilter.Topic == Provisioning.DpsTopics.ResponseFilter ? MqttSubscribeReasonCode.GrantedQoS1 : MqttSubscribeReasonCode.NotAuthorized;
            e.TopicFilter.QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce;
            return Task.CompletedTask;
        }

        if (DeviceConnection.From(e.SessionItems) is not { } connection)
        {
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            return Task.CompletedTask;
        }

        Touch(connection, time.GetUtcNow());
        if (!IotHubTopics.IsAllowedSubscription(e.TopicFilter.Topic, connection.DeviceId, connection.ModuleId is not null))
        {
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            LogRefusal(connection, $"subscribe to a topic that is not the device's own ({Truncate(e.TopicFilter.Topic)})");
        }
        else
        {
            if (e.TopicFilter.QualityOfServiceLevel == MqttQualityOfServiceLevel.ExactlyOnce)
            {
                // IoT Hub grants QoS 1 to a QoS 2 subscription.
                e.TopicFilter.QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce;
                e.Response.ReasonCode = MqttSubscribeReasonCode.GrantedQoS1;
            }

            connection.Subscribed(e.TopicFilter.Topic);
            if (connection.Attached && IotHubTopics.IsMethodRequest(e.TopicFilter.Topic))
            {
                _ = grains.GetGrain<DeviceFabric.Methods.IDeviceMethodGrain>(connection.DeviceKey).MethodsSubscribedAsync(connection.SessionId);
            }
            else if (connection.Attached && IotHubTopics.IsCloudToDevice(e.TopicFilter.Topic, connection.DeviceId))
            {
                _ = grains.GetGrain<DeviceFabric.CloudToDevice.ICloudToDeviceGrain>(connection.DeviceKey).CloudToDeviceSubscribedAsync(connection.SessionId);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The device acknowledged a message (PUBACK): a cloud-to-device message is then complete.</summary>
    public async Task AcknowledgedAsync(ClientAcknowledgedPublishPacketEventArgs e)
    {
        var topic = e.PublishPacket.Topic;
        if (DeviceConnection.From(e.SessionItems) is not { } connection || !IotHubTopics.IsCloudToDevice(topic, connection.DeviceId))
        {
            return;
        }

        var (system, _) = PropertyBag.Parse(topic[IotHubTopics.CloudToDevicePrefix(connection.DeviceId).Length..]);
        if (system.TryGetValue("message-id", out var messageId))
        {
            try
            {
                await grains.GetGrain<DeviceFabric.CloudToDevice.ICloudToDeviceGrain>(connection.DeviceKey).CompleteAsync(connection.SessionId, messageId);
            }
            catch (Exception ex)
            {
                // Not completed, so it will be delivered again: at least once.
                LogCompleteFailed(logger, ex, connection.Hub, connection.DeviceId);
            }
        }
    }

    private async Task PublishTelemetryAsync(InterceptingPublishEventArgs e, DeviceConnection connection, string bag, DateTimeOffset now)
    {
        var payload = e.ApplicationMessage.Payload;
        if (payload.Length + bag.Length > options.Value.MaxMessageBytes)
        {
            Close(e, connection, $"message of {payload.Length + bag.Length} bytes exceeds {options.Value.MaxMessageBytes}");
            return;
        }

        var (system, application) = PropertyBag.Parse(bag);
        system["iothub-connection-device-id"] = connection.ParentId;
        if (connection.ModuleId is not null)
        {
            system["iothub-connection-module-id"] = connection.ModuleId;
        }

        system["iothub-connection-auth-method"] = connection.AuthMethod ?? "sas";
        system["iothub-connection-auth-generation-id"] = connection.GenerationId ?? string.Empty;
        system["iothub-enqueuedtime"] = now.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        system["iothub-message-source"] = "Telemetry";
        if (connection.ModelId is not null)
        {
            system["dt-dataschema"] = connection.ModelId;
        }

        try
        {
            await telemetry.PublishAsync(connection.Hub, new TelemetryMessage(connection.ParentId, now, system, application, payload.ToArray(), connection.ModuleId));
            instruments.TelemetryAccepted(connection.Hub, (int)payload.Length);
            connection.TelemetryReceived();
        }
        catch (Exception ex)
        {
            // Not accepted, so not acknowledged: the device gets no PUBACK, its connection closes and it resends.
            LogTelemetryFailed(logger, ex, connection.Hub, connection.DeviceId);
            e.Response.ReasonCode = MqttPubAckReasonCode.ImplementationSpecificError;
            e.CloseConnection = true;
        }
    }

    private void Touch(DeviceConnection connection, DateTimeOffset now)
    {
        if (connection.Attached && connection.Touch(now, options.Value.ActivityReportInterval))
        {
            _ = connection.Grain.ReportActivityAsync(connection.SessionId, now, connection.TakeTelemetryCount());
        }
    }

    private void Close(InterceptingPublishEventArgs e, DeviceConnection connection, string reason)
    {
        LogRefusal(connection, reason);
        e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
        e.CloseConnection = true;
    }

    /// <summary>Logs a refusal the first time for the device, then once a minute with the count, however often it reconnects.</summary>
    private void LogRefusal(DeviceConnection connection, string reason)
    {
        if (logFilter.ShouldLog("refused-packet", connection.DeviceKey, out var suppressed))
        {
            LogRefused(logger, connection.Hub, connection.DeviceId, reason, suppressed);
        }
    }

    private static string Truncate(string topic) => topic.Length <= 200 ? topic : topic[..200] + "...";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Hub}/{DeviceId}: {Reason} ({Suppressed} more left out since the last line)")]
    private static partial void LogRefused(ILogger logger, string hub, string deviceId, string reason, long suppressed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A cloud-to-device acknowledgement of {Hub}/{DeviceId} was not recorded")]
    private static partial void LogCompleteFailed(ILogger logger, Exception exception, string hub, string deviceId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Telemetry of {Hub}/{DeviceId} was not accepted by the event stream")]
    private static partial void LogTelemetryFailed(ILogger logger, Exception exception, string hub, string deviceId);
}
