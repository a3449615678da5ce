using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using DeviceFabric.Telemetry;

namespace DeviceFabric.Storage.Telemetry;

/// <summary>
/// The one encoding of a stored device-to-cloud message, shared by the embedded log and JetStream: a version byte,
/// the sequence number and enqueued time, then length-prefixed UTF-8 strings (device, module, property pairs) and the
/// body. Decoding checks every length against what is there, so a record from a wrong offset is refused, never misread.
/// </summary>
internal static class TelemetryRecord
{
    private const byte Version = 1;
    private const int NoString = -1;

    /// <summary>Writes <paramref name="message"/> with its sequence number into <paramref name="buffer"/>.</summary>
    public static void Write(IBufferWriter<byte> buffer, long sequenceNumber, TelemetryMessage message)
    {
        var span = buffer.GetSpan(1 + 8 + 8);
        span[0] = Version;
        BinaryPrimitives.WriteInt64LittleEndian(span[1..], sequenceNumber);
        BinaryPrimitives.WriteInt64LittleEndian(span[9..], message.EnqueuedTime.UtcTicks);
        buffer.Advance(17);
        WriteString(buffer, message.DeviceId);
        WriteString(buffer, message.ModuleId);
        WriteProperties(buffer, message.SystemProperties);
        WriteProperties(buffer, message.Properties);
        WriteInt32(buffer, message.Body.Length);
        buffer.Write(message.Body);
    }

    /// <summary>Reads a record; throws <see cref="FormatException"/> when the bytes are not one.</summary>
    public static (long SequenceNumber, TelemetryMessage Message) Read(ReadOnlySpan<byte> record)
    {
        var reader = new Reader(record);
        if (reader.Byte() != Version)
        {
            throw new FormatException("not a telemetry record of a known version");
        }

        var sequence = reader.Int64();
        var ticks = reader.Int64();
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            throw new FormatException("a telemetry record's time is out of range");
        }

        var device = reader.String() ?? throw new FormatException("a telemetry record without a device");
        var module = reader.String();
        var system = reader.Properties();
        var application = reader.Properties();
        var body = reader.Bytes(reader.Int32()).ToArray();
        reader.End();
        return (sequence, new TelemetryMessage(device, new DateTimeOffset(ticks, TimeSpan.Zero), system, application, body, module));
    }

    /// <summary>The sequence number and enqueued time alone, without decoding the rest.</summary>
    public static (long SequenceNumber, DateTimeOffset EnqueuedTime) ReadHeader(ReadOnlySpan<byte> record)
    {
        var reader = new Reader(record);
        if (reader.Byte() != Version)
        {
            throw new FormatException("not a telemetry record of a known version");
        }

        var sequence = reader.Int64();
        var ticks = reader.Int64();
        return ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks
            ? throw new FormatException("a telemetry record's time is out of range")
            : (sequence, new DateTimeOffset(ticks, TimeSpan.Zero));
    }

    private static void WriteProperties(IBufferWriter<byte> buffer, IReadOnlyDictionary<string, string> properties)
    {
        WriteInt32(buffer, properties.Count);
        foreach (var (name, value) in properties)
        {
            WriteString(buffer, name);
            WriteString(buffer, value);
        }
    }

    private static void WriteString(IBufferWriter<byte> buffer, string? value)
    {
        if (value is null)
        {
            WriteInt32(buffer, NoString);
            return;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        WriteInt32(buffer, length);
        Encoding.UTF8.GetBytes(value, buffer.GetSpan(length));
        buffer.Advance(length);
    }

    private static void WriteInt32(IBufferWriter<byte> buffer, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(buffer.GetSpan(4), value);
        buffer.Advance(4);
    }

    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _rest = data;

        public byte Byte() => Bytes(1)[0];

        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Bytes(8));

        public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Bytes(4));

        public string? String()
        {
            var length = Int32();
            return length == NoString ? null : Encoding.UTF8.GetString(Bytes(length));
        }

        public Dictionary<string, string> Properties()
        {
            var count = Int32();
            // Each pair takes at least 8 bytes, so a count the record cannot hold is refused before anything is allocated.
            if (count < 0 || count > _rest.Length / 8)
            {
                throw new FormatException("a telemetry record's property count is out of range");
            }

            var properties = new Dictionary<string, string>(count, StringComparer.Ordinal);
            for (var i = 0; i < count; i++)
            {
                var name = String() ?? throw new FormatException("a telemetry record's property has no name");
                properties[name] = String() ?? string.Empty;
            }

            return properties;
        }

        public ReadOnlySpan<byte> Bytes(int length)
        {
            if (length < 0 || length > _rest.Length)
            {
                throw new FormatException("a telemetry record is cut short");
            }

            var bytes = _rest[..length];
            _rest = _rest[length..];
            return bytes;
        }

        public readonly void End()
        {
            if (!_rest.IsEmpty)
            {
                throw new FormatException("a telemetry record has bytes after its end");
            }
        }
    }
}
