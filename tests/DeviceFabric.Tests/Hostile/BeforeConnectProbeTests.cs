using System.Net;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Hostile;

/// <summary>
/// Probes from anyone who can reach the MQTT port, with no credentials: oversized packets, half packets, silent and
/// piled-up connections. The node must refuse each at once, buffer nothing, keep no core busy, and keep serving the
/// control device.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class BeforeConnectProbeTests(HostileNodeFixture fixture)
{
    private static readonly TimeSpan s_closeWithin = TimeSpan.FromSeconds(10);

    private SiloProcess Node => fixture.Node;

    [Fact]
    public async Task OversizedPacketBeforeConnect_IsRefusedAtItsHeader_AndNothingOfItIsBuffered()
    {
        fixture.Control.Reset();
        var before = ProcessProbe.ResidentBytes(Node.Pid);

        // Eight connections each announce a 268 MB packet and stream zeros: before the guard, all of it was buffered.
        var sent = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => StreamOversizedAsync(64 * 1024 * 1024, IPAddress.Parse($"127.0.0.{20 + i}"))));

        Assert.All(sent, bytes => Assert.True(bytes < 16 * 1024 * 1024, $"{bytes} bytes were accepted after the header"));
        var growth = ProcessProbe.ResidentBytes(Node.Pid) - before;
        Assert.True(growth < 100 * 1024 * 1024, $"resident memory grew by {growth / 1024 / 1024} MB");
        AssertControlDeviceServed();
    }

    [Theory]
    [InlineData("tls")]
    [InlineData("plain")]
    [InlineData("websocket")]
    public async Task HalfSentPackets_ThenACleanClose_LeaveNoCoreBusy(string transport)
    {
        fixture.Control.Reset();
        byte[] halfConnect = [0x10, 100, 0x00, 0x04, (byte)'M'];
        for (var i = 0; i < 10; i++)
        {
            if (transport == "websocket")
            {
                await SendOverWebSocketAndCloseAsync(halfConnect);
                continue;
            }

            await using var client = await RawConnection.ConnectAsync(Node, transport == "tls" ? Node.MqttTlsPort : Node.PlainPort, tls: transport == "tls");
            Assert.True(await client.TrySendAsync(halfConnect));
            await client.CloseCleanlyAsync();
            Assert.True(await client.ClosedByServerWithinAsync(s_closeWithin));
        }

        // Ten read loops spinning on dead connections would keep both cores busy for ever: the node must settle.
        Assert.True(await fixture.BecomesQuietWithinAsync(TimeSpan.FromSeconds(20)), "the node stayed busy after the probes left");
        AssertControlDeviceServed();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SilentConnection_IsClosedAtTheConnectTimeout(bool completeTls)
    {
        // Without TLS the handshake never starts on the TLS port; with it, no CONNECT follows.
        await using var client = await RawConnection.ConnectAsync(Node, Node.MqttTlsPort, tls: completeTls);

        Assert.True(await client.ClosedByServerWithinAsync(HostileNodeFixture.ConnectTimeout + TimeSpan.FromSeconds(8)));
    }

    [Fact]
    public async Task PendingConnectionsOverTheAddressCap_AreClosedAtOnce_AndOtherAddressesAreServed()
    {
        var crowded = IPAddress.Parse("127.0.0.5");
        const int Over = 4;
        var waiting = new List<RawConnection>();
        var resetAtConnect = 0;
        try
        {
            for (var i = 0; i < HostileNodeFixture.PendingPerAddress + Over; i++)
            {
                try
                {
                    waiting.Add(await RawConnection.ConnectAsync(Node, Node.PlainPort, tls: false, source: crowded));
                }
                catch (System.Net.Sockets.SocketException)
                {
                    // Refused so fast that the connect itself saw the reset.
                    resetAtConnect++;
                }
            }

            // Which ones are over the cap depends on the order the node takes them in; how many does not. The others
            // stay open until the connect timeout, twice as long as this looks.
            var closed = await Task.WhenAll(waiting.Select(c => c.ClosedByServerWithinAsync(HostileNodeFixture.ConnectTimeout / 2)));
            Assert.Equal(Over, resetAtConnect + closed.Count(c => c));

            var (id, key) = await fixture.CreateDeviceAsync("capped");
            var (device, result) = await MqttDevice.ConnectAsync(Node, id, MqttDevice.Token(id, key));
            using var _ = device;
            Assert.Equal(MQTTnet.MqttClientConnectResultCode.Success, result.ResultCode);
        }
        finally
        {
            foreach (var client in waiting)
            {
                await client.DisposeAsync();
            }
        }
    }

    /// <summary>Sends <paramref name="bytes"/> in one binary frame on IoT Hub's MQTT WebSocket, then a close frame, and waits for the node's close.</summary>
    private async Task SendOverWebSocketAndCloseAsync(byte[] bytes)
    {
        using var ca = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(((INodeEndpoints)Node).CaPath);
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        socket.Options.AddSubProtocol("mqtt");
        socket.Options.RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.Issuer == ca.Subject;
        await socket.ConnectAsync(new Uri($"wss://localhost:{Node.BaseAddress.Port}/$iothub/websocket"), TestContext.Current.CancellationToken);
        await socket.SendAsync(bytes, System.Net.WebSockets.WebSocketMessageType.Binary, endOfMessage: true, TestContext.Current.CancellationToken);
        await socket.CloseOutputAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "leaving", TestContext.Current.CancellationToken);
        var buffer = new byte[256];
        using var within = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        within.CancelAfter(s_closeWithin);
        while (socket.State is System.Net.WebSockets.WebSocketState.CloseSent or System.Net.WebSockets.WebSocketState.Open)
        {
            await socket.ReceiveAsync(buffer, within.Token);
        }
    }

    /// <summary>Announces a packet of the largest remaining length and streams zeros until the node closes; returns what it took.</summary>
    private async Task<long> StreamOversizedAsync(long upTo, IPAddress source)
    {
        await using var client = await RawConnection.ConnectAsync(Node, Node.MqttTlsPort, source: source);
        if (!await client.TrySendAsync(MqttPackets.Header(0x10, 268_435_455)))
        {
            return 0;
        }

        var chunk = new byte[256 * 1024];
        long sent = 0;
        while (sent < upTo && await client.TrySendAsync(chunk))
        {
            sent += chunk.Length;
        }

        Assert.True(await client.ClosedByServerWithinAsync(s_closeWithin), "the node kept the connection open");
        return sent;
    }

    private void AssertControlDeviceServed()
    {
        Assert.True(fixture.Control.IsConnected, "the control device lost its connection");
        Assert.Equal(0, fixture.Control.Errors);
        Assert.True(fixture.Control.Slowest < TimeSpan.FromSeconds(5), $"a PUBACK of the control device took {fixture.Control.Slowest.TotalSeconds:0.0} s");
    }
}
