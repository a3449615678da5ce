using System.Collections.Concurrent;
using DeviceFabric.Devices;
using MQTTnet;

namespace DeviceFabric.Mqtt.Sessions;

/// <summary>
/// What the front end knows about one MQTT connection: whose it is and when it was last active. Kept in the MQTTnet
/// session's items; the device's state lives in its grain.
/// </summary>
internal sealed class DeviceConnection(string hub, string deviceId, string? modelId, IDeviceSessionGrain grain, DateTimeOffset now)
{
    public const string ItemKey = "devicefabric.connection";

    /// <summary>The connection kept in an MQTTnet session's items, if the connect was accepted.</summary>
    public static DeviceConnection? From(System.Collections.IDictionary sessionItems) =>
        sessionItems.Contains(ItemKey) ? sessionItems[ItemKey] as DeviceConnection : null;

    private readonly ConcurrentDictionary<string, byte> _subscriptions = new(StringComparer.Ordinal);
    private long _lastActivityTicks = now.UtcTicks;
    private long _lastReportedTicks = now.UtcTicks;

    public string Hub { get; } = hub;

    /// <summary>The identity id: the device id, or <c>{deviceId}/{moduleId}</c> for a module (its MQTT client id too).</summary>
    public string DeviceId { get; } = deviceId;

    /// <summary>The device id, for a module its device's.</summary>
    public string ParentId { get; } = DeviceFabric.Modules.ModuleIds.Split(deviceId).DeviceId;

    /// <summary>The module id when a module connected, else null.</summary>
    public string? ModuleId { get; } = DeviceFabric.Modules.ModuleIds.Split(deviceId).ModuleId;

    /// <summary>What follows <c>devices/</c> in the identity's own topics: <c>{deviceId}</c> or <c>{deviceId}/modules/{moduleId}</c>.</summary>
    public string TopicPath { get; } = DeviceFabric.Modules.ModuleIds.Split(deviceId) is (var d, { } m) ? $"{d}/modules/{m}" : deviceId;

    public string DeviceKey => DeviceFabric.Devices.DeviceKey.Create(Hub, DeviceId);

    public string? ModelId { get; } = modelId;

    public IDeviceSessionGrain Grain { get; } = grain;

    public Guid SessionId { get; } = Guid.NewGuid();

    /// <summary>When the connect was accepted; orders attaches that reach the grain out of order.</summary>
    public DateTimeOffset ConnectedAt { get; } = now;

    public string? GenerationId { get; set; }

    public string? AuthMethod { get; set; }

    /// <summary>When the SAS token the device connected with expires, if it does.</summary>
    public DateTimeOffset? CredentialsExpireAt { get; init; }

    /// <summary>The key or certificate the connection authenticated with: a withdrawal of it closes the connection.</summary>
    public Security.SessionCredential? Credential { get; init; }

    /// <summary>Closes the session when its token expires (plus the grace); disposed with the connection.</summary>
    public ITimer? ExpiryTimer { get; set; }

    /// <summary>Set once the grain has attached the session; a connection refused later is never detached.</summary>
    public bool Attached { get; set; }

    /// <summary>Records a granted subscription.</summary>
    public void Subscribed(string topicFilter) => _subscriptions.TryAdd(topicFilter, 0);

    /// <summary>Gives a newer connection of the same device the subscriptions of this one (a reused MQTT session keeps them).</summary>
    public void CopySubscriptionsTo(DeviceConnection newer)
    {
        if (newer.DeviceKey == DeviceKey)
        {
            foreach (var filter in _subscriptions.Keys)
            {
                newer.Subscribed(filter);
            }
        }
    }

    /// <summary>Whether a granted subscription matches the topic.</summary>
    public bool IsSubscribedTo(string topic) =>
        _subscriptions.Keys.Any(filter => MqttTopicFilterComparer.Compare(topic, filter) == MqttTopicFilterCompareResult.IsMatch);

    public DateTimeOffset LastActivity => new(Interlocked.Read(ref _lastActivityTicks), TimeSpan.Zero);

    private int _telemetrySinceReport;

    /// <summary>Whether the last activity report carried no telemetry: the next message is then reported at once.</summary>
    private volatile bool _lastReportQuiet = true;

    /// <summary>Counts a device-to-cloud message, for the next activity report.</summary>
    public void TelemetryReceived() => Interlocked.Increment(ref _telemetrySinceReport);

    /// <summary>The messages counted since the last call, for an activity report.</summary>
    public int TakeTelemetryCount()
    {
        var count = Interlocked.Exchange(ref _telemetrySinceReport, 0);
        _lastReportQuiet = count == 0;
        return count;
    }

    /// <summary>Records activity; returns true when the grain should hear of it (at most once per <paramref name="interval"/>, but at once for telemetry after a quiet report).</summary>
    public bool Touch(DateTimeOffset now, TimeSpan interval)
    {
        Interlocked.Exchange(ref _lastActivityTicks, now.UtcTicks);
        var reported = Interlocked.Read(ref _lastReportedTicks);
        // Telemetry after a quiet report goes at once, so a device's health does not wait for its next packet.
        var due = now.UtcTicks - reported >= interval.Ticks || (_lastReportQuiet && Volatile.Read(ref _telemetrySinceReport) > 0);
        return due && Interlocked.CompareExchange(ref _lastReportedTicks, now.UtcTicks, reported) == reported;
    }
}
