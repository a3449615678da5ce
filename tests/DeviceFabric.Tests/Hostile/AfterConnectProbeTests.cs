using System.Text;
using DeviceFabric.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Formatter;

namespace DeviceFabric.Tests.Hostile;

/// <summary>
/// Probes from a device that has authenticated: a packet far over the limit is refused at its header (an MQTT 5 client
/// is told why), topics the MQTT specification forbids close the connection, and MQTT 3.1 is refused at CONNECT.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class AfterConnectProbeTests(HostileNodeFixture fixture)
{
    private static readonly TimeSpan s_within = TimeSpan.FromSeconds(10);

    private SiloProcess Node => fixture.Node;

    [Theory]
    [InlineData((byte)4)]
    [InlineData((byte)5)]
    public async Task OversizedPublish_IsRefusedAtItsHeader_AndAnMqtt5ClientIsToldWhy(byte level)
    {
        await using var device = await ConnectRawAsync(level);

        Assert.True(await device.TrySendAsync(MqttPackets.Header(0x30, 100 * 1024 * 1024)));
        var answer = await device.ReadAsync(4, s_within);

        // MQTT 5: DISCONNECT (0xE0) with reason 0x95, packet too large; 3.1.1 has no such packet, the socket just closes.
        if (level == 5)
        {
            Assert.True(answer.Length >= 3 && answer[0] == 0xE0 && answer[2] == 0x95, $"got {Convert.ToHexString(answer)}");
        }

        Assert.True(await device.ClosedByServerWithinAsync(s_within));
    }

    [Theory]
    [InlineData("invalid UTF-8")]
    [InlineData("U+0000")]
    [InlineData("+ wildcard")]
    [InlineData("# wildcard")]
    public async Task PublishToATopicTheSpecificationForbids_ClosesTheConnection(string what)
    {
        await using var device = await ConnectRawAsync(4);
        var prefix = Encoding.ASCII.GetBytes($"devices/{device.DeviceId}/messages/events/");
        byte[] topic = what switch
        {
            "invalid UTF-8" => [.. prefix, 0xC3, 0x28],
            "U+0000" => [.. prefix, (byte)'a', 0x00],
            "+ wildcard" => [.. prefix, (byte)'+'],
            _ => [.. prefix, (byte)'#'],
        };

        Assert.True(await device.TrySendAsync(MqttPackets.Publish(topic, "{}"u8.ToArray())));

        Assert.True(await device.ClosedByServerWithinAsync(s_within), $"a topic with {what} was accepted");
        Assert.True(fixture.Control.IsConnected);
    }

    [Fact]
    public async Task Mqtt31_IsRefusedWithUnacceptableProtocolVersion()
    {
        var (id, key) = await fixture.CreateDeviceAsync("mqtt31");
        var (client, result) = await MqttDevice.ConnectAsync(Node, id, MqttDevice.Token(id, key), protocol: MqttProtocolVersion.V310);
        using var _ = client;

        Assert.Equal(MqttClientConnectResultCode.UnsupportedProtocolVersion, result.ResultCode);
    }

    private async Task<RawDevice> ConnectRawAsync(byte level)
    {
        var (id, key) = await fixture.CreateDeviceAsync("raw");
        var client = await RawConnection.ConnectAsync(Node, Node.MqttTlsPort);
        Assert.True(await client.TrySendAsync(MqttPackets.Connect(id, MqttDevice.Username(id), MqttDevice.Token(id, key), level)));
        var header = await client.ReadAsync(2, s_within);
        Assert.True(header.Length == 2 && header[0] == 0x20 && header[1] < 0x80, $"CONNACK {Convert.ToHexString(header)}");
        var connack = await client.ReadAsync(header[1], s_within);
        Assert.True(connack.Length == header[1] && connack[1] == 0x00, $"CONNACK {Convert.ToHexString(connack)}");
        return new RawDevice(client, id);
    }

    /// <summary>A raw connection whose CONNECT was accepted.</summary>
    private sealed class RawDevice(RawConnection client, string deviceId) : IAsyncDisposable
    {
        public string DeviceId { get; } = deviceId;

        public Task<bool> TrySendAsync(byte[] bytes) => client.TrySendAsync(bytes);

        public Task<byte[]> ReadAsync(int count, TimeSpan timeout) => client.ReadAsync(count, timeout);

        public Task<bool> ClosedByServerWithinAsync(TimeSpan timeout) => client.ClosedByServerWithinAsync(timeout);

        public ValueTask DisposeAsync() => client.DisposeAsync();
    }
}
