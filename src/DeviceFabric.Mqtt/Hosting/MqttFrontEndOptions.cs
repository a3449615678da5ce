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
}
