using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using BenchmarkDotNet.Attributes;
using DeviceFabric.Mqtt.Transport;

namespace DeviceFabric.Benchmarks.Mqtt;

/// <summary>
/// The guard every MQTT packet passes before MQTTnet reads it: finding a telemetry PUBLISH's end and checking its topic,
/// alone and through the guarded pipe reader (write, read, advance), for a 128-byte message.
/// </summary>
[MemoryDiagnoser]
public class FrameGuardBenchmarks
{
    private static readonly byte[] s_connect = [0x10, 0x0C, 0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x04, 0x02, 0x00, 0x3C, 0x00, 0x00];
    private readonly MqttFrameScanner _scanner = new(8192, 256 * 1024);
    private byte[] _publish = null!;
    private ReadOnlySequence<byte> _publishSequence;
    private Pipe _pipe = null!;
    private MqttFrameReader _reader = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var topic = Encoding.ASCII.GetBytes("devices/thermostat-42/messages/events/%24.mid=m-1&%24.ct=application%2Fjson&unit=celsius");
        var body = new List<byte> { 0x00, (byte)topic.Length };
        body.AddRange(topic);
        body.AddRange([0x00, 0x01]);
        body.AddRange(new byte[128]);
        _publish = [0x32, (byte)((body.Count & 0x7F) | 0x80), (byte)(body.Count >> 7), .. body];
        _publishSequence = new ReadOnlySequence<byte>(_publish);
        _scanner.NextPacket(new ReadOnlySequence<byte>(s_connect), out _);

        _pipe = new Pipe();
        _reader = new MqttFrameReader(_pipe.Reader, new MqttFrameScanner(8192, 256 * 1024), _ => false);
        await _pipe.Writer.WriteAsync(s_connect);
        var first = await _reader.ReadAsync();
        _reader.AdvanceTo(first.Buffer.End);
    }

    [Benchmark]
    public int ScanPublish() => _scanner.NextPacket(_publishSequence, out _);

    [Benchmark]
    public async Task<long> PublishThroughTheGuard()
    {
        await _pipe.Writer.WriteAsync(_publish);
        var result = await _reader.ReadAsync();
        var length = result.Buffer.Length;
        _reader.AdvanceTo(result.Buffer.End);
        return length;
    }
}
