using System.Text.Json;
using DeviceFabric.Contracts.Provisioning;
using DeviceFabric.Json;
using DeviceFabric.Mqtt.Hosting;
using DeviceFabric.Provisioning;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace DeviceFabric.Mqtt.Provisioning;

/// <summary>
/// A registering device's requests, as DPS answers them: a register is answered 202 "assigning" with the operation to
/// poll and a <c>retry-after</c> (0 when the assignment is already done), a poll 202 while it runs and then 200 with the
/// registration record; errors carry DPS's error body. Every answer has a JSON body, as the Node SDK parses each one.
/// Anything but these two requests closes the connection.
/// </summary>
internal sealed partial class ProvisioningRequestHandler(
    MqttServer server,
    ProvisioningInstruments instruments,
    FrontEndLogFilter logFilter,
    TimeProvider time,
    ILogger<ProvisioningRequestHandler> logger)
{
    public async Task HandleAsync(InterceptingPublishEventArgs e, ProvisioningConnection connection)
    {
        var message = e.ApplicationMessage;
        switch (DpsTopics.Classify(message.Topic, out var requestId, out var operationId))
        {
            case DpsRequestKind.Register:
                var started = time.GetTimestamp();
                await AnswerAsync(connection, DpsRequestKind.Register, requestId!, () => RegisterAsync(connection, message));
                instruments.Registered(time.GetElapsedTime(started));
                break;
            case DpsRequestKind.Poll:
                await AnswerAsync(connection, DpsRequestKind.Poll, requestId!, () => PollAsync(connection, operationId!));
                break;
            default:
                if (logFilter.ShouldLog("refused-registration-packet", connection.RegistrationId, out var suppressed))
                {
                    LogRefused(logger, connection.RegistrationId, suppressed);
                }

                e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
                e.CloseConnection = true;
                break;
        }
    }

    private static async Task<(int Status, object Body, TimeSpan? RetryAfter)> RegisterAsync(ProvisioningConnection connection, MqttApplicationMessage message)
    {
        var request = ReadRequest(message.Payload);
        if (request?.RegistrationId is { } named && !string.Equals(named, connection.RegistrationId, StringComparison.Ordinal))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "The body's registrationId is not the connection's.");
        }

        var operation = await connection.Grain.RegisterAsync(connection.Attestation, request?.Payload?.ToJsonString());
        var body = new RegistrationOperationStatusJson { OperationId = operation.OperationId, Status = "assigning" };
        return (202, body, operation.Status == RegistrationStatus.Assigning ? operation.RetryAfter : TimeSpan.Zero);
    }

    private static async Task<(int Status, object Body, TimeSpan? RetryAfter)> PollAsync(ProvisioningConnection connection, string operationId)
    {
        var operation = await connection.Grain.GetOperationAsync(operationId)
            ?? throw new DeviceFabricException(DeviceFabricErrorCode.DeviceRegistrationNotFound, "No such operation for this registration.");
        return operation.Status == RegistrationStatus.Assigning
            ? (202, RegistrationJson.Operation(operation), operation.RetryAfter)
            : (200, RegistrationJson.Operation(operation), null);
    }

    /// <summary>The register body: empty or a space (the Node SDK's poll body) means none; anything else must be DPS's <c>DeviceRegistration</c>.</summary>
    private static DeviceRegistrationJson? ReadRequest(System.Buffers.ReadOnlySequence<byte> payload)
    {
        var bytes = System.Buffers.BuffersExtensions.ToArray(payload);
        if (bytes.AsSpan().Trim((byte)' ').IsEmpty)
        {
            return null;
        }

        StrictJson.Validate(bytes, "The registration request");
        try
        {
            return JsonSerializer.Deserialize(bytes, ProvisioningJsonContext.Default.DeviceRegistrationJson);
        }
        catch (JsonException ex)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.MalformedBody, $"The registration request is not DPS's DeviceRegistration: {ex.Message}");
        }
    }

    private async Task AnswerAsync(ProvisioningConnection connection, DpsRequestKind kind, string requestId, Func<Task<(int Status, object Body, TimeSpan? RetryAfter)>> handle)
    {
        int status;
        byte[] body;
        TimeSpan? retryAfter = null;
        try
        {
            (status, var answer, retryAfter) = await handle();
            body = answer is RegistrationOperationStatusJson operation
                ? JsonSerializer.SerializeToUtf8Bytes(operation, ProvisioningJsonContext.Default.RegistrationOperationStatusJson)
                : [];
            if (status == 200 && answer is RegistrationOperationStatusJson { Status: { } outcome })
            {
                instruments.Finished(outcome);
            }
        }
        catch (DeviceFabricException ex)
        {
            status = ex.Code.HttpStatus();
            body = JsonSerializer.SerializeToUtf8Bytes(
                RegistrationJson.Error(ex.Code, ex.Message, Guid.NewGuid().ToString("D"), time.GetUtcNow()), ProvisioningJsonContext.Default.ProvisioningErrorJson);
        }
        catch (Exception ex)
        {
            // 500 and above tell the Node SDK to try again after retry-after, which is what a fault here deserves.
            LogRequestFailed(logger, ex, connection.RegistrationId);
            status = 500;
            retryAfter = TimeSpan.FromSeconds(1);
            body = JsonSerializer.SerializeToUtf8Bytes(
                RegistrationJson.Error(DeviceFabricErrorCode.ServerError, "The registration could not be processed.", Guid.NewGuid().ToString("D"), time.GetUtcNow()),
                ProvisioningJsonContext.Default.ProvisioningErrorJson);
        }

        instruments.Answered(kind, status);
        await SendAsync(connection, DpsTopics.Response(status, requestId, retryAfter), body);
    }

    private async Task SendAsync(ProvisioningConnection connection, string topic, byte[] payload)
    {
        MqttSessionStatus session;
        try
        {
            session = await server.GetSessionAsync(connection.RegistrationId).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            return;
        }

        if (ReferenceEquals(ProvisioningConnection.From(session.Items), connection))
        {
            session.TryEnqueueApplicationMessage(
                new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(),
                out _);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closed the registration connection of {RegistrationId}: a publish that is not a DPS request ({Suppressed} more left out since the last line)")]
    private static partial void LogRefused(ILogger logger, string registrationId, long suppressed);

    [LoggerMessage(Level = LogLevel.Error, Message = "The registration request of {RegistrationId} failed")]
    private static partial void LogRequestFailed(ILogger logger, Exception exception, string registrationId);
}
