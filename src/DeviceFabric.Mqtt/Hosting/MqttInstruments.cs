using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace DeviceFabric.Mqtt.Hosting;

/// <summary>
/// The front end's metrics (meter <c>DeviceFabric.Mqtt</c>): connects accepted and refused (and why, so an operator
/// sees probes and floods as counts rather than as log lines), devices connected per hub, telemetry in; and its traces
/// (activity source <c>DeviceFabric.Mqtt</c>) of device requests.
/// </summary>
public sealed class MqttInstruments
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "DeviceFabric.Mqtt";

    /// <summary>The activity source's name: a span per twin request and method answer a device sends.</summary>
    public const string ActivitySourceName = "DeviceFabric.Mqtt";

    internal static readonly ActivitySource Source = new(ActivitySourceName);

    private readonly Counter<long> _connectionsRefused;
    private readonly Counter<long> _connectsRefused;
    private readonly Counter<long> _loginBackoffs;
    private readonly Counter<long> _connects;
    private readonly Counter<long> _telemetryMessages;
    private readonly Counter<long> _telemetryBytes;

    /// <summary>Creates the instruments on a meter of <paramref name="meters"/>.</summary>
    public MqttInstruments(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        Meter = meters.Create(MeterName);
        _connectionsRefused = Meter.CreateCounter<long>(
            "devicefabric-mqtt-connections-refused", "{connection}", "Connections closed before or while authenticating, by reason (caps, connect timeout, malformed or oversized packets, invalid topics).");
        _connectsRefused = Meter.CreateCounter<long>(
            "devicefabric-mqtt-connects-refused", "{connect}", "CONNECTs refused, by reason (unknown device, bad credentials, protocol version...).");
        _loginBackoffs = Meter.CreateCounter<long>(
            "devicefabric-mqtt-login-backoffs", "{connect}", "Refused CONNECTs whose CONNACK was held back because their source failed repeatedly.");
        _connects = Meter.CreateCounter<long>(
            "devicefabric-mqtt-connects", "{connect}", "CONNECTs accepted, by hub and authentication (sas, policy, x509).");
        _telemetryMessages = Meter.CreateCounter<long>(
            "devicefabric-telemetry-messages", "{message}", "Device-to-cloud messages accepted, by hub.");
        _telemetryBytes = Meter.CreateCounter<long>(
            "devicefabric-telemetry-bytes", "By", "Bytes of device-to-cloud message bodies accepted, by hub.");
    }

    /// <summary>The meter the instruments are on (one per node; tests listen to it).</summary>
    internal Meter Meter { get; }

    internal void ConnectionRefused(string reason) => _connectionsRefused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    internal void ConnectRefused(string reason) => _connectsRefused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    internal void LoginBackedOff() => _loginBackoffs.Add(1);

    internal void Connected(string hub, string? authMethod) =>
        _connects.Add(1, new KeyValuePair<string, object?>("hub", hub), new KeyValuePair<string, object?>("auth", authMethod ?? "unknown"));

    internal void TelemetryAccepted(string hub, int bodyBytes)
    {
        var tag = new KeyValuePair<string, object?>("hub", hub);
        _telemetryMessages.Add(1, tag);
        _telemetryBytes.Add(bodyBytes, tag);
    }

    /// <summary>Reports the devices connected to this front end per hub, read when the metrics are collected.</summary>
    internal void ObserveConnected(Func<IEnumerable<KeyValuePair<string, int>>> perHub) =>
        Meter.CreateObservableGauge(
            "devicefabric-mqtt-devices-connected",
            () => perHub().Select(h => new Measurement<int>(h.Value, new KeyValuePair<string, object?>("hub", h.Key))),
            "{device}",
            "Devices connected to this front end, by hub.");
}
