using System.Diagnostics.Metrics;

namespace DeviceFabric.Mqtt.Hosting;

/// <summary>
/// The front end's metrics (meter <c>DeviceFabric.Mqtt</c>): what it refused and why, so an operator sees probes and
/// floods as counts rather than as log lines.
/// </summary>
public sealed class MqttInstruments
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "DeviceFabric.Mqtt";

    private readonly Counter<long> _connectionsRefused;
    private readonly Counter<long> _connectsRefused;
    private readonly Counter<long> _loginBackoffs;

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
    }

    /// <summary>The meter the instruments are on (one per node; tests listen to it).</summary>
    internal Meter Meter { get; }

    internal void ConnectionRefused(string reason) => _connectionsRefused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    internal void ConnectRefused(string reason) => _connectsRefused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    internal void LoginBackedOff() => _loginBackoffs.Add(1);
}
