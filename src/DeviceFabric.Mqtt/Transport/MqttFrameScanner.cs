using System.Buffers;
using System.Buffers.Binary;
using System.Text.Unicode;

namespace DeviceFabric.Mqtt.Transport;

/// <summary>
/// Reads MQTT framing as bytes arrive: where each packet ends, whether its length is within the connection's limit (known
/// from the fixed header, before the body is read), and whether the topic names and filters it carries are what the MQTT
/// specification allows. It never copies a body; it looks only at headers and topics.
/// </summary>
internal sealed class MqttFrameScanner(int maxConnectBytes, int maxPacketBytes)
{
    private const byte Connect = 1;
    private const byte Publish = 3;
    private const byte Subscribe = 8;
    private const byte Unsubscribe = 10;

    /// <summary>Whether the first packet, the CONNECT, has been read whole.</summary>
    public bool ConnectSeen { get; private set; }

    /// <summary>The protocol level the CONNECT named (3 for 3.1, 4 for 3.1.1, 5 for 5.0), once its header was read.</summary>
    public byte ProtocolLevel { get; private set; }

    /// <summary>
    /// Finds the next whole packet at the start of <paramref name="buffer"/>: its length, or 0 when more bytes are needed.
    /// A violation is reported as soon as the bytes read show it, whatever follows.
    /// </summary>
    public int NextPacket(ReadOnlySequence<byte> buffer, out MqttFrameViolation? violation)
    {
        violation = null;
        if (buffer.Length < 2)
        {
            return 0;
        }

        Span<byte> header = stackalloc byte[5];
        var available = (int)Math.Min(5, buffer.Length);
        buffer.Slice(0, available).CopyTo(header);
        var type = (byte)(header[0] >> 4);
        if (!ConnectSeen && type != Connect)
        {
            violation = MqttFrameViolation.NotConnect;
            return 0;
        }

        if (!HasValidFlags(type, header[0]))
        {
            violation = MqttFrameViolation.Malformed;
            return 0;
        }

        if (!TryReadRemainingLength(header[..available], out var headerLength, out var remaining, out var malformed))
        {
            violation = malformed ? MqttFrameViolation.Malformed : null;
            return 0;
        }

        var limit = ConnectSeen ? maxPacketBytes : maxConnectBytes;
        if (remaining > limit)
        {
            if (type == Connect)
            {
                ReadProtocolLevel(buffer.Slice(headerLength));
            }

            violation = MqttFrameViolation.TooLarge;
            return 0;
        }

        var length = headerLength + remaining;
        if (buffer.Length < length)
        {
            return 0;
        }

        var body = buffer.Slice(headerLength, remaining);
        violation = type switch
        {
            Connect when !ConnectSeen => ReadProtocolLevel(body) ? null : MqttFrameViolation.Malformed,
            Publish => CheckPublish(header[0], body),
            Subscribe => CheckFilters(body, withOptions: true),
            Unsubscribe => CheckFilters(body, withOptions: false),
            _ => null,
        };

        if (violation is null && type == Connect)
        {
            ConnectSeen = true;
        }

        return violation is null ? length : 0;
    }

    /// <summary>
    /// The fixed header's type and flags as the specification fixes them: no reserved type 0, AUTH (15) only in MQTT 5,
    /// one CONNECT, flags 0010 on PUBREL, SUBSCRIBE and UNSUBSCRIBE and 0000 on the others but PUBLISH.
    /// </summary>
    private bool HasValidFlags(byte type, byte fixedHeader)
    {
        var flags = fixedHeader & 0x0F;
        return type switch
        {
            0 => false,
            Connect => !ConnectSeen && flags == 0,
            Publish => true,
            6 or Subscribe or Unsubscribe => flags == 0x02,
            15 => ProtocolLevel >= 5 && flags == 0,
            _ => flags == 0,
        };
    }

    /// <summary>MQTT's variable-length remaining length: one to four bytes, seven bits each.</summary>
    private static bool TryReadRemainingLength(ReadOnlySpan<byte> header, out int headerLength, out int remaining, out bool malformed)
    {
        remaining = 0;
        malformed = false;
        for (var i = 1; i < header.Length; i++)
        {
            remaining |= (header[i] & 0x7F) << (7 * (i - 1));
            if ((header[i] & 0x80) == 0)
            {
                headerLength = i + 1;
                return true;
            }
        }

        headerLength = 0;
        malformed = header.Length == 5;
        return false;
    }

    /// <summary>CONNECT: the protocol name, then its level.</summary>
    private bool ReadProtocolLevel(ReadOnlySequence<byte> body)
    {
        if (body.Length < 2)
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[2];
        body.Slice(0, 2).CopyTo(prefix);
        var nameLength = BinaryPrimitives.ReadUInt16BigEndian(prefix);
        if (body.Length < 2 + nameLength + 1)
        {
            return false;
        }

        ProtocolLevel = body.Slice(2 + nameLength, 1).FirstSpan[0];
        return true;
    }

    /// <summary>PUBLISH: QoS 0-2 and a topic name that is well-formed UTF-8, without U+0000 or wildcards.</summary>
    private MqttFrameViolation? CheckPublish(byte fixedHeader, ReadOnlySequence<byte> body)
    {
        if (((fixedHeader >> 1) & 0x03) == 3)
        {
            return MqttFrameViolation.Malformed;
        }

        var topic = ReadString(ref body);
        if (topic is null)
        {
            return MqttFrameViolation.Malformed;
        }

        // MQTT 5 allows an empty topic name when a topic alias stands in for it; 3.1.1 does not.
        if (topic.Value.IsEmpty && ProtocolLevel < 5)
        {
            return MqttFrameViolation.InvalidTopic;
        }

        return IsValidTopic(topic.Value, wildcardsAllowed: false) ? null : MqttFrameViolation.InvalidTopic;
    }

    /// <summary>SUBSCRIBE and UNSUBSCRIBE: at least one filter, each non-empty, well-formed UTF-8 and without U+0000.</summary>
    private MqttFrameViolation? CheckFilters(ReadOnlySequence<byte> body, bool withOptions)
    {
        if (body.Length < 2)
        {
            return MqttFrameViolation.Malformed;
        }

        body = body.Slice(2); // packet identifier
        if (ProtocolLevel >= 5 && !SkipProperties(ref body))
        {
            return MqttFrameViolation.Malformed;
        }

        var filters = 0;
        while (!body.IsEmpty)
        {
            var filter = ReadString(ref body);
            if (filter is null || (withOptions && !Skip(ref body, 1)))
            {
                return MqttFrameViolation.Malformed;
            }

            if (filter.Value.IsEmpty || !IsValidTopic(filter.Value, wildcardsAllowed: true))
            {
                return MqttFrameViolation.InvalidTopic;
            }

            filters++;
        }

        return filters == 0 ? MqttFrameViolation.Malformed : null;
    }

    private static ReadOnlySequence<byte>? ReadString(ref ReadOnlySequence<byte> body)
    {
        if (body.Length < 2)
        {
            return null;
        }

        Span<byte> prefix = stackalloc byte[2];
        body.Slice(0, 2).CopyTo(prefix);
        var length = BinaryPrimitives.ReadUInt16BigEndian(prefix);
        if (body.Length < 2 + length)
        {
            return null;
        }

        var text = body.Slice(2, length);
        body = body.Slice(2 + length);
        return text;
    }

    private static bool Skip(ref ReadOnlySequence<byte> body, int count)
    {
        if (body.Length < count)
        {
            return false;
        }

        body = body.Slice(count);
        return true;
    }

    /// <summary>MQTT 5 properties: a variable-length byte count, then the properties.</summary>
    private static bool SkipProperties(ref ReadOnlySequence<byte> body)
    {
        Span<byte> header = stackalloc byte[5];
        header[0] = 0;
        var available = (int)Math.Min(4, body.Length);
        body.Slice(0, available).CopyTo(header[1..]);
        return TryReadRemainingLength(header[..(available + 1)], out var headerLength, out var length, out _)
            && Skip(ref body, headerLength - 1 + length);
    }

    /// <summary>Well-formed UTF-8 (which also rules out encoded surrogates), no U+0000, and wildcards only in filters.</summary>
    private static bool IsValidTopic(ReadOnlySequence<byte> text, bool wildcardsAllowed)
    {
        var length = (int)text.Length;
        byte[]? rented = null;
        Span<byte> bytes = length <= 512 ? stackalloc byte[length] : (rented = ArrayPool<byte>.Shared.Rent(length)).AsSpan(0, length);
        try
        {
            text.CopyTo(bytes);
            return Utf8.IsValid(bytes)
                && (wildcardsAllowed ? !bytes.Contains((byte)0) : !bytes.ContainsAny((byte)0, (byte)'+', (byte)'#'));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
