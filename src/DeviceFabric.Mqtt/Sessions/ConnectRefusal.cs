using System.Net;
using System.Security.Cryptography;
using DeviceFabric.Mqtt.Hosting;
using DeviceFabric.Mqtt.Transport;
using Microsoft.Extensions.Logging;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace DeviceFabric.Mqtt.Sessions;

/// <summary>
/// Refuses a CONNECT (CONNACK 5, not authorised, unless said otherwise), as IoT Hub and DPS do for every failure. The
/// refusal is counted; the log gets the first of a source's refusals and then one line a minute with the count; and a
/// source refused again and again waits longer for each CONNACK (the connect timeout waits for it).
/// </summary>
internal sealed partial class ConnectRefusal(
    ConnectionGate gate,
    LoginBackoff backoff,
    MqttInstruments instruments,
    FrontEndLogFilter logFilter,
    TimeProvider time,
    ILogger<ConnectRefusal> logger)
{
    /// <summary>How long a held-back CONNACK has to reach the client after its hold before the connection is cut off.</summary>
    private static readonly TimeSpan s_connackGrace = TimeSpan.FromSeconds(2);

    public async Task RefuseAsync(ValidatingConnectionEventArgs e, string reason, MqttConnectReasonCode code = MqttConnectReasonCode.NotAuthorized, string? id = null)
    {
        e.ReasonCode = code;
        instruments.ConnectRefused(ReasonTag(reason));
        var source = (e.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
        if (logFilter.ShouldLog("refused-connect", source.ToString(), out var suppressed))
        {
            LogRefused(logger, id ?? e.ClientId, source, reason, suppressed);
        }

        var hold = backoff.Refused(source);
        if (hold > TimeSpan.Zero)
        {
            instruments.LoginBackedOff();
            gate.Find(e.RemoteEndPoint)?.PostponeDeadline(hold + s_connackGrace);
            await Task.Delay(hold, time);
        }
    }

    /// <summary>SHA-1 (IoT Hub's historical form) and SHA-256 thumbprints of the client certificate, if one was presented.</summary>
    public static string[]? Thumbprints(ValidatingConnectionEventArgs e) =>
        e.ClientCertificate is { } certificate
            ? [certificate.Thumbprint, certificate.GetCertHashString(HashAlgorithmName.SHA256)]
            : null;

    /// <summary>
    /// The certificates the device presented, leaf first: the chain its TLS handshake kept, or (where the listener kept
    /// none, as behind a WebSocket) the client certificate alone.
    /// </summary>
    public static IReadOnlyList<byte[]>? Chain(ValidatingConnectionEventArgs e, PendingConnection? pending) =>
        pending?.Connection.Features.Get<PresentedCertificates>()?.Chain
        ?? (e.ClientCertificate is { } certificate ? [certificate.RawData] : null);

    /// <summary>The reason without its details, so the metric's tag takes few values.</summary>
    private static string ReasonTag(string reason) =>
        (reason.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 ? reason[..colon] : reason).Replace(' ', '-');

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused MQTT connect of {DeviceId} from {Source}: {Reason} ({Suppressed} more refusals from this source left out since the last line)")]
    private static partial void LogRefused(ILogger logger, string deviceId, IPAddress source, string reason, long suppressed);
}
