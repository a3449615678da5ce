using DeviceFabric.Devices;
using DeviceFabric.Hubs;
using DeviceFabric.Mqtt.Hosting;
using DeviceFabric.Mqtt.Protocol;
using DeviceFabric.Mqtt.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace DeviceFabric.Mqtt.Sessions;

/// <summary>
/// CONNECT and disconnect. A connect is checked by the device's grain (which alone knows its keys) and refused with
/// CONNACK 5 (not authorised) for every failure, as IoT Hub does; an accepted connection is then attached to the grain,
/// which supersedes any older one. No exception ever escapes into MQTTnet.
/// </summary>
internal sealed partial class ConnectionHandler(
    IGrainFactory grains,
    ConnectionRegistry registry,
    ConnectionGate gate,
    ConnectRefusal refusal,
    MqttInstruments instruments,
    CredentialWatch credentialWatch,
    Provisioning.ProvisioningConnects provisioning,
    IOptions<HubOptions> hubOptions,
    IOptions<MqttFrontEndOptions> mqttOptions,
    TimeProvider time,
    ILogger<ConnectionHandler> logger)
{
    // Accepted connects waiting for MQTTnet's connected event. MQTTnet keeps the validation's session items only for a
    // new session: a device that reconnects with clean-session 0 (as the Azure SDKs do) while its old connection is
    // being taken over gets the old session object back, items included, so the connection is handed over here.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DeviceConnection> _accepted = new(StringComparer.Ordinal);
    private static readonly TimeSpan s_longestTimer = TimeSpan.FromDays(30);


    private IDeviceConnectionObserver? _observer;

    /// <summary>The reference device grains use to reach this front end; created once per node.</summary>
    public IDeviceConnectionObserver Observer => _observer ??= grains.CreateObjectReference<IDeviceConnectionObserver>(registry);

    public async Task ValidateAsync(ValidatingConnectionEventArgs e)
    {
        try
        {
            if (e.ProtocolVersion == MqttProtocolVersion.V310)
            {
                // IoT Hub speaks MQTT 3.1.1 and 5; 3.1 gets its "unacceptable protocol version".
                await RefuseAsync(e, "MQTT 3.1 is not supported", MqttConnectReasonCode.UnsupportedProtocolVersion);
                return;
            }

            if (Provisioning.DpsUsername.TryParse(e.UserName, out var registering))
            {
                await provisioning.ValidateAsync(e, registering);
                return;
            }

            if (!IotHubUsername.TryParse(e.UserName, out var username))
            {
                await RefuseAsync(e, "malformed username");
                return;
            }

            // A module connects as {deviceId}/{moduleId}, its client id and its identity id alike.
            var identityId = username.ModuleId is { } moduleId ? Modules.ModuleIds.Compose(username.DeviceId, moduleId) : username.DeviceId;
            if (!DeviceIdRules.IsValid(username.DeviceId) || (username.ModuleId is not null && !Modules.ModuleIds.IsValid(username.ModuleId))
                || e.ClientId != identityId)
            {
                await RefuseAsync(e, "client id does not match the username's device id", deviceId: identityId);
                return;
            }

            var hub = hubOptions.Value.ResolveHub(username.HostName);
            var grain = grains.GetGrain<IDeviceSessionGrain>(DeviceKey.Create(hub, identityId));
            var pending = gate.Find(e.RemoteEndPoint);
            var credentials = new DeviceCredentials(username.HostName, e.Password, ConnectRefusal.Thumbprints(e), ConnectRefusal.Chain(e, pending));
            var result = await grain.AuthenticateAsync(credentials);
            if (!result.Accepted)
            {
                await RefuseAsync(e, result.Reason ?? "refused", deviceId: identityId);
                return;
            }

            EvictAbandoned();
            var connection = new DeviceConnection(hub, identityId, username.ModelId, grain, time.GetUtcNow())
            {
                GenerationId = result.GenerationId,
                AuthMethod = result.AuthMethod,
                CredentialsExpireAt = result.ExpiresAt,
                Credential = result.Credential,
            };
            pending?.Authenticated(e.ClientId, connection.SessionId, e.ProtocolVersion == MqttProtocolVersion.V500);
            _accepted[AcceptedKey(e.ClientId, e.RemoteEndPoint)] = connection;
        }
        catch (Exception ex)
        {
            LogConnectFailed(logger, ex, e.ClientId);
            e.ReasonCode = MqttConnectReasonCode.ServerUnavailable;
        }
    }

    public async Task ConnectedAsync(ClientConnectedEventArgs e)
    {
        if (!_accepted.TryRemove(AcceptedKey(e.ClientId, e.RemoteEndPoint), out var connection))
        {
            return;
        }

        // A reused session keeps its subscriptions; the new connection inherits them. The old connection's expiry timer
        // goes with it (its disconnect normally stops it; this covers a takeover whose event comes late).
        if (DeviceConnection.From(e.SessionItems) is { } previous)
        {
            previous.CopySubscriptionsTo(connection);
            previous.ExpiryTimer?.Dispose();
        }

        e.SessionItems[DeviceConnection.ItemKey] = connection;

        // Registered before attaching: the grain's close of the device's previous session must find this newer one
        // here and leave it alone.
        registry.Add(connection);
        if (credentialWatch.WithdrawnRecently(connection.Hub, connection.Credential))
        {
            registry.Remove(connection);
            await registry.CloseSessionAsync(connection.Hub, connection.DeviceId, connection.SessionId, "the credential it authenticated with was withdrawn");
            return;
        }

        try
        {
            var methodsSubscribed = connection.IsSubscribedTo(IotHubTopics.MethodsProbe);
            var cloudToDeviceSubscribed = connection.IsSubscribedTo(IotHubTopics.CloudToDeviceProbe(connection.DeviceId));
            var epoch = await connection.Grain.AttachSessionAsync(
                new DeviceSession(connection.SessionId, Observer, connection.ModelId, connection.ConnectedAt, methodsSubscribed, cloudToDeviceSubscribed, connection.Credential));
            if (epoch == 0)
            {
                registry.Remove(connection);
                await registry.CloseSessionAsync(connection.Hub, connection.DeviceId, connection.SessionId, "a newer connection is attached");
                return;
            }

            connection.Attached = true;
            instruments.Connected(connection.Hub, connection.AuthMethod);
            CloseAtExpiry(connection);
        }
        catch (Exception ex)
        {
            LogAttachFailed(logger, ex, connection.Hub, connection.DeviceId);
            registry.Remove(connection);
            await registry.CloseSessionAsync(connection.Hub, connection.DeviceId, connection.SessionId, "attach failed");
        }
    }

    public async Task DisconnectedAsync(ClientDisconnectedEventArgs e)
    {
        if (DeviceConnection.From(e.SessionItems) is not { } connection)
        {
            return;
        }

        registry.Remove(connection);
        connection.ExpiryTimer?.Dispose();
        if (!connection.Attached)
        {
            return;
        }

        try
        {
            var reason = e.DisconnectType switch
            {
                MqttClientDisconnectType.Clean => "device disconnected",
                MqttClientDisconnectType.Takeover => "superseded by a new connection",
                _ => "connection lost",
            };
            await connection.Grain.DetachSessionAsync(connection.SessionId, connection.LastActivity, reason, telemetryMessages: connection.TakeTelemetryCount());
        }
        catch (Exception ex)
        {
            LogDetachFailed(logger, ex, connection.Hub, connection.DeviceId);
        }
    }

    /// <summary>
    /// Closes the session when the SAS token (or certificate) it connected with expires (after the grace), as IoT Hub
    /// does; the SDKs connect again with a fresh token before that. Timers fire at most a month ahead and re-arm until then.
    /// </summary>
    private void CloseAtExpiry(DeviceConnection connection)
    {
        if (connection.CredentialsExpireAt is not { } expiresAt)
        {
            return;
        }

        var closeAt = expiresAt + (mqttOptions.Value.TokenExpiryGrace ?? hubOptions.Value.TokenClockSkew);
        connection.ExpiryTimer = time.CreateTimer(_ => Expire(connection, closeAt), null, Until(closeAt), Timeout.InfiniteTimeSpan);
    }

    private void Expire(DeviceConnection connection, DateTimeOffset closeAt)
    {
        if (time.GetUtcNow() < closeAt)
        {
            connection.ExpiryTimer?.Change(Until(closeAt), Timeout.InfiniteTimeSpan);
            return;
        }

        _ = registry.CloseSessionAsync(connection.Hub, connection.DeviceId, connection.SessionId, "its credentials expired");
    }

    private TimeSpan Until(DateTimeOffset at)
    {
        var due = at - time.GetUtcNow();
        return due <= TimeSpan.Zero ? TimeSpan.Zero : due < s_longestTimer ? due : s_longestTimer;
    }

    /// <summary>Forgets accepted connects whose connection died before MQTTnet reported it connected.</summary>
    private void EvictAbandoned()
    {
        if (_accepted.Count < 1024)
        {
            return;
        }

        var cutoff = time.GetUtcNow() - TimeSpan.FromMinutes(2);
        foreach (var (key, pending) in _accepted)
        {
            if (pending.ConnectedAt < cutoff)
            {
                _accepted.TryRemove(key, out _);
            }
        }
    }

    private static string AcceptedKey(string clientId, System.Net.EndPoint? remote) => string.Concat(clientId, "|", remote?.ToString());

    private Task RefuseAsync(ValidatingConnectionEventArgs e, string reason, MqttConnectReasonCode code = MqttConnectReasonCode.NotAuthorized, string? deviceId = null) =>
        refusal.RefuseAsync(e, reason, code, deviceId);

    [LoggerMessage(Level = LogLevel.Error, Message = "MQTT connect of {ClientId} failed")]
    private static partial void LogConnectFailed(ILogger logger, Exception exception, string clientId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not attach the session of {Hub}/{DeviceId}; closing it")]
    private static partial void LogAttachFailed(ILogger logger, Exception exception, string hub, string deviceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not detach the session of {Hub}/{DeviceId}")]
    private static partial void LogDetachFailed(ILogger logger, Exception exception, string hub, string deviceId);
}
