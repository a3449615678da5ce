using System.ComponentModel.DataAnnotations;

namespace DeviceFabric.Mqtt.Hosting;

/// <summary>The MQTT front end: where devices connect and what it accepts.</summary>
public sealed class MqttFrontEndOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "DeviceFabric:Mqtt";

    /// <summary>MQTT over TLS port, as IoT Hub's. Default: 8883.</summary>
    [Range(1, 65535)]
    public int TlsPort { get; set; } = 8883;

    /// <summary>Plain (unencrypted) MQTT port; 0 turns it off. For trusted networks and tests only. Default: 0.</summary>
    [Range(0, 65535)]
    public int PlainPort { get; set; }

    /// <summary>The MQTT-over-WebSockets path on the HTTPS port, as IoT Hub's. Default: <c>/$iothub/websocket</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string WebSocketPath { get; set; } = "/$iothub/websocket";

    /// <summary>The largest device-to-cloud message (body plus property bag); a larger one closes the connection, as IoT Hub does. Default: 262144 (256 KB).</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxMessageBytes { get; set; } = 256 * 1024;

    /// <summary>How often, at most, a busy connection tells its device grain about its activity. Default: 5 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan ActivityReportInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a connection may take to have its CONNECT accepted, TLS handshake included. Default: 5 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The largest packet a connection may send before its CONNECT is accepted (a CONNECT is small). Default: 8192.</summary>
    [Range(256, 65536)]
    public int MaxConnectPacketBytes { get; set; } = 8192;

    /// <summary>Connections not yet authenticated, in all; more are closed as they arrive. Default: 2000.</summary>
    [Range(1, 1_000_000)]
    public int MaxPendingConnections { get; set; } = 2000;

    /// <summary>Connections not yet authenticated from one source address. Default: 100.</summary>
    [Range(1, 1_000_000)]
    public int MaxPendingConnectionsPerAddress { get; set; } = 100;

    /// <summary>Refused CONNECTs from one source address, within a minute, before its CONNACKs are held back. Default: 5.</summary>
    [Range(1, 1_000_000)]
    public int FailedLoginsBeforeBackoff { get; set; } = 5;

    /// <summary>The longest a refused CONNECT's CONNACK is held back; the hold doubles with each failure up to it. Default: 5 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan MaxLoginBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long after its SAS token expires a session is closed; empty means the hub's token clock skew. Default: empty.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan? TokenExpiryGrace { get; set; }

    /// <summary>
    /// The largest packet once connected: <see cref="MaxMessageBytes"/> plus room for the topic and MQTT 5 properties.
    /// Larger packets are refused as their header arrives; the message limit itself is checked on the whole message.
    /// </summary>
    public int MaxPacketBytes => MaxMessageBytes + 4096;
}
