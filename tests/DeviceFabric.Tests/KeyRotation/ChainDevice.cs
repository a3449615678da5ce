using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.KeyRotation;

/// <summary>
/// A device that presents its certificate chain (leaf and intermediates) in the TLS handshake and then sends an MQTT
/// CONNECT with no password, as a CA-signed device does. Built on SslStream directly: MQTTnet's client sends the leaf
/// alone.
/// </summary>
internal sealed class ChainDevice : IAsyncDisposable
{
    private readonly RawConnection _connection;

    private ChainDevice(RawConnection connection, byte returnCode)
    {
        _connection = connection;
        ReturnCode = returnCode;
    }

    /// <summary>The CONNACK's return code: 0 accepted, 5 not authorised (255 when no CONNACK came).</summary>
    public byte ReturnCode { get; }

    public bool Accepted => ReturnCode == 0;

    public static async Task<ChainDevice> ConnectAsync(INodeEndpoints node, string deviceId, X509Certificate2 leaf, IReadOnlyList<X509Certificate2> intermediates, IPAddress? source = null)
    {
        var context = SslStreamCertificateContext.Create(leaf, [.. intermediates], offline: true);
        var connection = await RawConnection.ConnectAsync(node, node.MqttTlsPort, source: source, clientCertificate: context);
        await connection.TrySendAsync(MqttPackets.Connect(deviceId, MqttDevice.Username(deviceId), string.Empty));
        var connack = await connection.ReadAsync(4, TimeSpan.FromSeconds(10));
        return new ChainDevice(connection, connack is [0x20, 0x02, _, var code] ? code : (byte)255);
    }

    /// <summary>Whether the session still answers a PINGREQ.</summary>
    public async Task<bool> AnswersPingAsync() =>
        await _connection.TrySendAsync(new byte[] { 0xC0, 0x00 }) && (await _connection.ReadAsync(2, TimeSpan.FromSeconds(10))) is [0xD0, 0x00];

    /// <summary>Whether the node closes the session within <paramref name="timeout"/>.</summary>
    public Task<bool> ClosedWithinAsync(TimeSpan timeout) => _connection.ClosedByServerWithinAsync(timeout);

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
