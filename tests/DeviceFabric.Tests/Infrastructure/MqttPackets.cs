using System.Buffers.Binary;
using System.Text;

namespace DeviceFabric.Tests.Infrastructure;

/// <summary>MQTT packets built by hand, byte by byte, so probes can send exactly what they mean to, valid or not.</summary>
internal static class MqttPackets
{
    /// <summary>A CONNECT of protocol <paramref name="level"/> (4 = 3.1.1, 5 = 5.0) with a username and password.</summary>
    public static byte[] Connect(string clientId, string username, string password, byte level = 4, ushort keepAliveSeconds = 60)
    {
        var body = new List<byte>();
        body.AddRange(String("MQTT"));
        body.Add(level);
        body.Add(0b1100_0010); // username, password, clean session
        body.Add((byte)(keepAliveSeconds >> 8));
        body.Add((byte)keepAliveSeconds);
        if (level >= 5)
        {
            body.Add(0); // no properties
        }

        body.AddRange(String(clientId));
        body.AddRange(String(username));
        body.AddRange(String(password));
        return Packet(0x10, [.. body]);
    }

    /// <summary>A QoS 0 PUBLISH whose topic name is the raw bytes given (which may be anything).</summary>
    public static byte[] Publish(byte[] topic, byte[] payload, byte level = 4)
    {
        var body = new List<byte> { (byte)(topic.Length >> 8), (byte)topic.Length };
        body.AddRange(topic);
        if (level >= 5)
        {
            body.Add(0);
        }

        body.AddRange(payload);
        return Packet(0x30, [.. body]);
    }

    /// <summary>A fixed header announcing <paramref name="remainingLength"/> bytes, without them.</summary>
    public static byte[] Header(byte first, int remainingLength) => [first, .. RemainingLength(remainingLength)];

    public static byte[] Packet(byte first, byte[] body) => [first, .. RemainingLength(body.Length), .. body];

    /// <summary>MQTT's variable-length encoding, seven bits a byte.</summary>
    public static byte[] RemainingLength(int value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value % 128);
            value /= 128;
            bytes.Add(value > 0 ? (byte)(b | 0x80) : b);
        }
        while (value > 0);
        return [.. bytes];
    }

    private static byte[] String(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        var result = new byte[2 + bytes.Length];
        BinaryPrimitives.WriteUInt16BigEndian(result, (ushort)bytes.Length);
        bytes.CopyTo(result, 2);
        return result;
    }
}
