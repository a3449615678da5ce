using DeviceFabric.Events;
using DeviceFabric.Streams;

namespace DeviceFabric.Devices;

/// <summary>
/// The device's live session: at most one, attached by the front end holding the socket. Connection state and last
/// activity are kept in memory and stored lazily (on deactivation, or with the next identity write), never per message.
/// </summary>
internal sealed partial class DeviceGrain
{
    public async Task<long> AttachSessionAsync(DeviceSession session, CancellationToken cancellationToken = default)
    {
        if (!state.State.Exists || state.State.Status == DeviceStatus.Disabled || state.State.DeviceDisabled)
        {
            throw new DeviceFabricException(NotFoundCode, $"{Noun} {_deviceId} is deleted or disabled.");
        }

        if (_live is { } current && session.ConnectedAt < current.Session.ConnectedAt)
        {
            // This attach was overtaken by a newer connection's: the newer one stays.
            return 0;
        }

        if (!StillHolds(session.Credential))
        {
            LogCredentialGoneAtAttach(logger, _hub, _deviceId);
            return 0;
        }

        await EndLiveSessionAsync("superseded by a new connection");
        var now = clock.Time.GetUtcNow();
        _epoch = Math.Max(_epoch + 1, now.UtcTicks);
        _live = new LiveSession(session, _epoch);
        if (_live.MethodsSubscribed)
        {
            _methodsReady.TrySetResult();
        }

        state.State.ConnectionStateUpdatedTime = now;
        state.State.LastActivityTime = now;
        state.State.ModelId = session.ModelId;
        RecordConnectionChange(now, connected: true, reason: null);
        await RememberCertificateAsync(session.Credential, cancellationToken);

        // A connected device must stay in memory even when it is quiet: only grain calls count as activity.
        _keepAlive = this.RegisterGrainTimer(
            static _ => Task.CompletedTask,
            new GrainTimerCreationOptions { DueTime = s_keepAlivePeriod, Period = s_keepAlivePeriod, KeepAlive = true });
        LogConnected(logger, _hub, _deviceId, _epoch);
        // The shard hears first, so whoever sees the Connected event finds the device connected in queries.
        await ReportConnectionAsync(connected: true);
        await PublishAsync(DeviceLifecycleKind.Connected, _epoch, null);
        await DeliverWaitingAsync(cancellationToken);
        return _epoch;
    }

    public Task ReportActivityAsync(Guid sessionId, DateTimeOffset at, int telemetryMessages = 0)
    {
        if (_live?.SessionId != sessionId)
        {
            return Task.CompletedTask;
        }

        if (at > state.State.LastActivityTime)
        {
            state.State.LastActivityTime = at;
            _connectionStateDirty = true;
        }

        // Counted whatever the timestamp: two reports may carry the same one.
        if (telemetryMessages > 0)
        {
            TelemetryArrived(at, telemetryMessages);
            _connectionStateDirty = true;
        }

        ReportHealth(at);
        return Task.CompletedTask;
    }

    public async Task<bool> SendToDeviceAsync(DeviceBoundMessage message, CancellationToken cancellationToken = default)
    {
        if (_live is not { } live)
        {
            return false;
        }

        await live.Session.FrontEnd.DeliverAsync(_hub, _deviceId, live.SessionId, message);
        return true;
    }

    public async Task DetachSessionAsync(Guid sessionId, DateTimeOffset lastActivity, string reason, int telemetryMessages = 0, CancellationToken cancellationToken = default)
    {
        if (_live?.SessionId != sessionId)
        {
            return;
        }

        await ReportActivityAsync(sessionId, lastActivity, telemetryMessages);
        await DetachAsync(reason);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        ReportQueueDepth(0);
        if (_connectionStateDirty && state.State.Exists)
        {
            await state.WriteStateAsync(cancellationToken);
        }
    }

    /// <summary>Ends the live session, if any, and tells its front end to close the connection.</summary>
    private async Task EndLiveSessionAsync(string reason)
    {
        if (_live is not { } live)
        {
            return;
        }

        await DetachAsync(reason);
        await live.Session.FrontEnd.CloseSessionAsync(_hub, _deviceId, live.SessionId, reason);
    }

    private async Task DetachAsync(string reason)
    {
        if (_live is { } ending)
        {
            MethodsOnDetach(ending);
        }

        _live = null;
        _keepAlive?.Dispose();
        _keepAlive = null;
        var now = clock.Time.GetUtcNow();
        state.State.ConnectionStateUpdatedTime = now;
        RecordConnectionChange(now, connected: false, reason);
        deviceInstruments.SessionEnded(reason);
        LogDisconnected(logger, _hub, _deviceId, _epoch, reason);
        await ReportConnectionAsync(connected: false);
        await PublishAsync(DeviceLifecycleKind.Disconnected, _epoch, reason);
    }

    /// <summary>Tells the registry shard, for queries; a failure is logged and never fails the connect or disconnect.</summary>
    private async Task ReportConnectionAsync(bool connected)
    {
        try
        {
            await Shard.SetConnectionStateAsync(_deviceId, connected, _epoch);
        }
        catch (Exception ex)
        {
            LogConnectionStateLost(logger, ex, _hub, _deviceId);
        }
    }

    /// <summary>
    /// Publishes a lifecycle event. Events are best effort (in-memory streams, see the README): a failure is logged and
    /// never fails the operation that was already stored.
    /// </summary>
    private async Task PublishAsync(DeviceLifecycleKind kind, long epoch, string? reason)
    {
        try
        {
            _lifecycle ??= this.GetStreamProvider(FabricStreams.ProviderName)
                .GetStream<DeviceLifecycleEvent>(StreamId.Create(FabricStreams.LifecycleNamespace, _hub));
            await _lifecycle.OnNextAsync(new DeviceLifecycleEvent(_hub, _parentId, kind, epoch, clock.Time.GetUtcNow(), reason, _moduleId));
        }
        catch (Exception ex)
        {
            LogEventLost(logger, ex, _hub, _deviceId, kind);
        }
    }
}
