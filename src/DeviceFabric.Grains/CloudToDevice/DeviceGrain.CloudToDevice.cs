using DeviceFabric.CloudToDevice;

namespace DeviceFabric.Devices;

/// <summary>
/// The cloud-to-device queue: stored on every change, sent to a connected and subscribed device in order (QoS 1),
/// completed by the device's PUBACK, redelivered on the next connection until it expires or reaches its delivery count.
/// </summary>
internal sealed partial class DeviceGrain : ICloudToDeviceGrain
{
    public async Task<string> SendAsync(CloudToDeviceMessage message, CancellationToken cancellationToken = default)
    {
        if (!state.State.Exists || IsModule)
        {
            // Modules have no cloud-to-device queue in IoT Hub: they hear from the cloud through their twin and methods.
            throw DeviceFabricException.IdentityNotFound(_deviceId);
        }

        var now = clock.Time.GetUtcNow();
        var queued = Prepare(message, now);
        var feedback = new List<FeedbackRecord>();
        DropExpired(now, feedback);
        if (c2d.State.Messages.Count >= CloudToDeviceMessage.MaxQueueDepth)
        {
            await SaveQueueAsync(feedback, cancellationToken);
            throw new DeviceFabricException(
                DeviceFabricErrorCode.DeviceMaximumQueueDepthExceeded, $"Device {_deviceId} already has {CloudToDeviceMessage.MaxQueueDepth} messages waiting.");
        }

        c2d.State.Messages.Add(queued);
        await SaveQueueAsync(feedback, cancellationToken);
        deviceInstruments.CloudToDevice("sent");
        await DeliverWaitingAsync(cancellationToken);
        return queued.MessageId;
    }

    public async Task<int> PurgeAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.Time.GetUtcNow();
        var purged = c2d.State.Messages;
        var feedback = purged.Where(q => Wants(q, FeedbackRequest.Negative)).Select(q => Feedback(q, FeedbackStatus.Purged, now)).ToList();
        c2d.State.Messages = [];
        _live?.CloudToDeviceInFlight.Clear();
        await SaveQueueAsync(feedback, cancellationToken);
        deviceInstruments.CloudToDevice("purged", purged.Count);
        return purged.Count;
    }

    public async Task CloudToDeviceSubscribedAsync(Guid sessionId, CancellationToken cancellationToken = default)
    {
        if (_live?.SessionId == sessionId)
        {
            _live.CloudToDeviceSubscribed = true;
            await DeliverWaitingAsync(cancellationToken);
        }
    }

    public async Task CompleteAsync(Guid sessionId, string messageId, CancellationToken cancellationToken = default)
    {
        var queued = c2d.State.Messages.FirstOrDefault(q => q.MessageId == messageId);
        if (_live?.SessionId != sessionId || queued is null || !_live.CloudToDeviceInFlight.Remove(messageId))
        {
            return;
        }

        c2d.State.Messages.Remove(queued);
        var feedback = Wants(queued, FeedbackRequest.Positive) ? [Feedback(queued, FeedbackStatus.Success, clock.Time.GetUtcNow())] : new List<FeedbackRecord>();
        await SaveQueueAsync(feedback, cancellationToken);
        deviceInstruments.CloudToDevice("completed");
    }

    /// <summary>Sends every waiting message not yet sent on this session, counting the attempt (stored) before sending.</summary>
    private async Task DeliverWaitingAsync(CancellationToken cancellationToken)
    {
        if (_live is not { CloudToDeviceSubscribed: true } live)
        {
            return;
        }

        var inFlight = live.CloudToDeviceInFlight;
        var now = clock.Time.GetUtcNow();
        var feedback = new List<FeedbackRecord>();
        DropExpired(now, feedback);
        foreach (var exhausted in c2d.State.Messages.Where(q => q.DeliveryCount >= CloudToDeviceMessage.MaxDeliveryCount && !inFlight.Contains(q.MessageId)).ToList())
        {
            c2d.State.Messages.Remove(exhausted);
            deviceInstruments.CloudToDevice("exhausted");
            if (Wants(exhausted, FeedbackRequest.Negative))
            {
                feedback.Add(Feedback(exhausted, FeedbackStatus.DeliveryCountExceeded, now));
            }
        }

        var toSend = c2d.State.Messages.Where(q => !inFlight.Contains(q.MessageId)).ToList();
        foreach (var queued in toSend)
        {
            queued.DeliveryCount++;
            inFlight.Add(queued.MessageId);
        }

        if (toSend.Count == 0 && feedback.Count == 0)
        {
            return;
        }

        await SaveQueueAsync(feedback, cancellationToken);
        foreach (var queued in toSend)
        {
            await live.Session.FrontEnd.DeliverAsync(_hub, _deviceId, live.SessionId, new CloudToDeviceDelivery(queued.Message));
        }

        deviceInstruments.CloudToDevice("delivered", toSend.Count);
    }

    private QueuedMessage Prepare(CloudToDeviceMessage message, DateTimeOffset now)
    {
        if (message.Body.Length > CloudToDeviceMessage.MaxBodyBytes)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.MessageTooLarge, $"The message body is larger than {CloudToDeviceMessage.MaxBodyBytes} bytes.");
        }

        var expiresAt = message.ExpiresAt ?? now + CloudToDeviceMessage.DefaultTimeToLive;
        if (expiresAt <= now || expiresAt > now + CloudToDeviceMessage.MaxTimeToLive)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "The expiry must be in the future and at most 48 hours away.");
        }

        return new QueuedMessage
        {
            Message = message with { MessageId = string.IsNullOrEmpty(message.MessageId) ? Guid.NewGuid().ToString() : message.MessageId, ExpiresAt = expiresAt },
            EnqueuedTime = now,
        };
    }

    private void DropExpired(DateTimeOffset now, List<FeedbackRecord> feedback)
    {
        foreach (var expired in c2d.State.Messages.Where(q => q.Message.ExpiresAt <= now).ToList())
        {
            c2d.State.Messages.Remove(expired);
            _live?.CloudToDeviceInFlight.Remove(expired.MessageId);
            deviceInstruments.CloudToDevice("expired");
            if (Wants(expired, FeedbackRequest.Negative))
            {
                feedback.Add(Feedback(expired, FeedbackStatus.Expired, now));
            }
        }
    }

    private async Task SaveQueueAsync(List<FeedbackRecord> feedback, CancellationToken cancellationToken)
    {
        await c2d.WriteStateAsync(cancellationToken);
        ReportQueueDepth(c2d.State.Messages.Count);
        if (feedback.Count > 0)
        {
            await GrainFactory.GetGrain<IFeedbackGrain>(_hub).AddAsync(feedback, cancellationToken);
        }
    }

    /// <summary>Moves the silo's queue-depth gauge by what this device's queue changed since it last reported.</summary>
    private void ReportQueueDepth(int depth)
    {
        deviceInstruments.QueueDepthChanged(depth - _reportedQueueDepth);
        _reportedQueueDepth = depth;
    }

    private static bool Wants(QueuedMessage queued, FeedbackRequest outcome) => (queued.Message.Ack & outcome) != 0;

    private FeedbackRecord Feedback(QueuedMessage queued, FeedbackStatus status, DateTimeOffset now) =>
        new(queued.MessageId, _deviceId, state.State.GenerationId, status, now);
}
