using System.IO.Pipelines;
using DeviceFabric.Mqtt.Transport;
using Microsoft.AspNetCore.Connections;
using MQTTnet.AspNetCore;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;

namespace DeviceFabric.Tests.Transport;

/// <summary>
/// The guard between a connection and MQTTnet: whole packets only, limits known from the header, and an input that ends
/// cleanly when the client leaves halfway through a packet. One test pins MQTTnet's own behaviour, which the guard works
/// around: when it fails, an MQTTnet upgrade has fixed the busy loop and <see cref="MqttFrameReader"/> can go.
/// </summary>
public sealed class MqttFrameReaderTests
{
    /// <summary>The first 5 bytes of a CONNECT that announces 100 bytes.</summary>
    private static readonly byte[] s_halfConnect = [0x10, 100, 0x00, 0x04, (byte)'M'];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MqttNet_OnACompletedInputWithHalfAPacket_ReadsForEver()
    {
        var (context, counter, spun) = await MqttNetOverAsync(s_halfConnect, guarded: false);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => context.ReceivePacketAsync(spun.Token));

        Assert.True(
            counter.Reads >= 10_000,
            $"MQTTnet read {counter.Reads} times and stopped: it no longer spins on a half packet, so MqttFrameReader's workaround can be dropped.");
    }

    [Fact]
    public async Task GuardedMqttNet_OnACompletedInputWithHalfAPacket_EndsAtOnce()
    {
        var (context, counter, spun) = await MqttNetOverAsync(s_halfConnect, guarded: true);

        await Assert.ThrowsAsync<MqttCommunicationException>(() => context.ReceivePacketAsync(spun.Token));

        Assert.True(counter.Reads <= 2, $"{counter.Reads} reads");
    }

    [Theory]
    [InlineData(new byte[] { 0x10, 0xFF, 0xFF, 0xFF, 0x7F }, "TooLarge")]
    [InlineData(new byte[] { 0x30, 0x05, 0x00, 0x01, (byte)'a', 0x00, 0x00 }, "NotConnect")]
    [InlineData(new byte[] { 0x10, 0x80, 0x80, 0x80, 0x80, 0x01 }, "Malformed")]
    [InlineData(new byte[] { 0x11, 0x02, 0x00, 0x00 }, "Malformed")]
    public async Task BeforeConnect_AViolation_IsReportedFromTheHeader_AndEndsTheInput(byte[] bytes, string expected)
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(bytes, Ct);
        MqttFrameViolation? seen = null;
        var reader = new MqttFrameReader(pipe.Reader, new MqttFrameScanner(8192, 1024 * 1024), v =>
        {
            seen = v;
            return false;
        });

        var result = await reader.ReadAsync(Ct);

        Assert.True(result.IsCompleted);
        Assert.True(result.Buffer.IsEmpty);
        Assert.Equal(Enum.Parse<MqttFrameViolation>(expected), seen);
    }

    [Theory]
    [InlineData("devices/d1/messages/events/", true)]
    [InlineData("devices/d1/+/events", false)]
    [InlineData("devices/d1/#", false)]
    [InlineData("devices/d1/\0", false)]
    [InlineData("", false)]
    public async Task AfterConnect_PublishTopics_AreCheckedAsTheSpecificationSays(string topic, bool valid) =>
        await AssertPublishAsync(System.Text.Encoding.UTF8.GetBytes(topic), valid ? null : MqttFrameViolation.InvalidTopic);

    [Fact]
    public async Task AfterConnect_APublishTopicThatIsNotUtf8_IsRefused() =>
        await AssertPublishAsync([(byte)'d', 0xC3, (byte)'/', 0xFF], MqttFrameViolation.InvalidTopic);

    [Fact]
    public async Task WholePackets_AreHandedOverOneWriteAtATime_AndASplitOneWaitsForItsRest()
    {
        var pipe = new Pipe();
        var reader = new MqttFrameReader(pipe.Reader, new MqttFrameScanner(8192, 1024), _ => false);
        byte[] connect = [0x10, 0x0C, 0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x04, 0x02, 0x00, 0x3C, 0x00, 0x00];
        byte[] ping = [0xC0, 0x00];
        await pipe.Writer.WriteAsync(connect.Concat(ping).Concat(ping[..1]).ToArray(), Ct);

        var first = await reader.ReadAsync(Ct);
        Assert.Equal(connect.Length + ping.Length, first.Buffer.Length);
        reader.AdvanceTo(first.Buffer.End);

        var waiting = reader.ReadAsync(Ct);
        Assert.False(waiting.IsCompleted);
        await pipe.Writer.WriteAsync(ping[1..], Ct);
        var second = await waiting;
        Assert.Equal(ping.Length, second.Buffer.Length);
    }

    private static async Task AssertPublishAsync(byte[] topic, MqttFrameViolation? expected)
    {
        byte[] connect = [0x10, 0x0C, 0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x04, 0x02, 0x00, 0x3C, 0x00, 0x00];
        byte[] publish = [0x30, (byte)(2 + topic.Length + 1), (byte)(topic.Length >> 8), (byte)topic.Length, .. topic, (byte)'x'];
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(connect.Concat(publish).ToArray(), Ct);
        MqttFrameViolation? seen = null;
        var reader = new MqttFrameReader(pipe.Reader, new MqttFrameScanner(8192, 1024), v =>
        {
            seen = v;
            return false;
        });

        var result = await reader.ReadAsync(Ct);

        Assert.Equal(expected, seen);
        Assert.Equal(expected is null ? connect.Length + publish.Length : 0, result.Buffer.Length);
    }

    /// <summary>MQTTnet's Kestrel channel over an input that already ended after <paramref name="bytes"/>.</summary>
    private static async Task<(MqttConnectionContext Context, CountingPipeReader Counter, CancellationTokenSource Spun)> MqttNetOverAsync(byte[] bytes, bool guarded)
    {
        var input = new Pipe();
        await input.Writer.WriteAsync(bytes, Ct);
        await input.Writer.CompleteAsync();
        var spun = new CancellationTokenSource();
        var counter = new CountingPipeReader(input.Reader, 10_000, spun);
        PipeReader reader = guarded ? new MqttFrameReader(counter, new MqttFrameScanner(8192, 1024), _ => false) : counter;
        var output = new Pipe();
        var connection = new DefaultConnectionContext("test", new DuplexPipe(reader, output.Writer), new DuplexPipe(output.Reader, input.Writer));
        var context = new MqttConnectionContext(new MqttPacketFormatterAdapter(new MqttBufferWriter(4096, 65536)), connection);
        return (context, counter, spun);
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
