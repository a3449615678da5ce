using System.Text;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Fuzz;

/// <summary>
/// Malformed MQTT packets, generated from a fixed seed and kept in <c>mqtt-corpus.txt</c> beside this file: hand-made
/// cases for each rule the specification sets, and random mutations of valid packets. "before" cases are the first
/// bytes of a connection; "after" cases follow an accepted CONNECT of <see cref="DeviceId"/>.
/// </summary>
internal static class MqttFuzzCorpus
{
    public const string DeviceId = "fuzz-device";
    public const int Seed = 20261201;
    public const string FileName = "mqtt-corpus.txt";

    public static IReadOnlyList<FuzzCase> Generate()
    {
        var random = new Random(Seed);
        var cases = new List<FuzzCase>();
        var connect = MqttPackets.Connect("someone", "localhost/someone/?api-version=2021-04-12", "SharedAccessSignature sr=x&sig=y&se=1");
        byte[] ownTopic = Encoding.ASCII.GetBytes($"devices/{DeviceId}/messages/events/");
        var publish = MqttPackets.Publish(ownTopic, "{\"t\":1}"u8.ToArray());
        var subscribe = MqttPackets.Packet(0x82, [0x00, 0x01, .. String($"devices/{DeviceId}/messages/devicebound/#"), 0x01]);

        Add(cases, "before", "publish-first", publish);
        Add(cases, "before", "pingreq-first", [0xC0, 0x00]);
        Add(cases, "before", "connect-empty", [0x10, 0x00]);
        Add(cases, "before", "connect-reserved-flag", [0x11, .. connect[1..]]);
        Add(cases, "before", "connect-varint-5-bytes", [0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]);
        Add(cases, "before", "connect-oversized", MqttPackets.Header(0x10, 268_435_455));
        Add(cases, "before", "connect-truncated", connect[..(connect.Length / 2)]);
        Add(cases, "before", "connect-bad-protocol-name", MqttPackets.Packet(0x10, [.. String("MQTX"), 0x04, 0x02, 0x00, 0x3C, .. String("someone")]));
        Add(cases, "before", "connect-level-3", MqttPackets.Packet(0x10, [.. String("MQIsdp"), 0x03, 0x02, 0x00, 0x3C, .. String("someone")]));
        Add(cases, "before", "reserved-type-0", [0x00, 0x00]);
        for (var i = 0; i < 60; i++)
        {
            Add(cases, "before", $"random-{i:D2}", Bytes(random, random.Next(1, 64)));
        }

        for (var i = 0; i < 80; i++)
        {
            Add(cases, "before", $"mutated-connect-{i:D2}", Mutate(random, connect));
        }

        Add(cases, "after", "publish-qos-3", [0x36, .. publish[1..]]);
        Add(cases, "after", "publish-topic-invalid-utf8", MqttPackets.Publish([.. ownTopic, 0xC3, 0x28], [1]));
        Add(cases, "after", "publish-topic-nul", MqttPackets.Publish([.. ownTopic, 0x00], [1]));
        Add(cases, "after", "publish-topic-plus", MqttPackets.Publish([.. ownTopic, (byte)'+'], [1]));
        Add(cases, "after", "publish-topic-hash", MqttPackets.Publish([.. ownTopic, (byte)'#'], [1]));
        Add(cases, "after", "publish-topic-longer-than-packet", [0x30, 0x04, 0x00, 0x40, (byte)'d', (byte)'e']);
        Add(cases, "after", "publish-other-device", MqttPackets.Publish("devices/someone-else/messages/events/"u8.ToArray(), [1]));
        Add(cases, "after", "publish-oversized", MqttPackets.Header(0x30, 100 * 1024 * 1024));
        Add(cases, "after", "subscribe-flags-0", [0x80, .. subscribe[1..]]);
        Add(cases, "after", "subscribe-no-filters", MqttPackets.Packet(0x82, [0x00, 0x01]));
        Add(cases, "after", "subscribe-filter-invalid-utf8", MqttPackets.Packet(0x82, [0x00, 0x01, 0x00, 0x02, 0xFF, 0xFE, 0x00]));
        Add(cases, "after", "unsubscribe-empty-filter", MqttPackets.Packet(0xA2, [0x00, 0x01, 0x00, 0x00]));
        Add(cases, "after", "second-connect", connect);
        Add(cases, "after", "reserved-type-0", [0x00, 0x00]);
        Add(cases, "after", "auth-in-311", [0xF0, 0x00]);
        Add(cases, "after", "pingreq-with-flags", [0xC1, 0x00]);
        Add(cases, "after", "varint-5-bytes", [0x30, 0x80, 0x80, 0x80, 0x80, 0x01]);
        Add(cases, "after", "publish-truncated", publish[..(publish.Length / 2)]);
        for (var i = 0; i < 60; i++)
        {
            Add(cases, "after", $"mutated-publish-{i:D2}", Mutate(random, publish));
        }

        for (var i = 0; i < 30; i++)
        {
            Add(cases, "after", $"mutated-subscribe-{i:D2}", Mutate(random, subscribe));
        }

        return cases;
    }

    /// <summary>
    /// Whether the node must close the connection of <paramref name="fuzz"/> on its own: a hand-made case after CONNECT
    /// that is a whole packet (not cut short), so nothing is left to wait for.
    /// </summary>
    public static bool NodeMustClose(FuzzCase fuzz) =>
        fuzz.Phase == "after" && !fuzz.Name.StartsWith("mutated-", StringComparison.Ordinal) && !fuzz.Name.EndsWith("-truncated", StringComparison.Ordinal);

    /// <summary>The corpus as its file holds it: one case a line, <c>phase name hex</c>.</summary>
    public static string Format(IEnumerable<FuzzCase> cases) =>
        string.Concat(cases.Select(c => $"{c.Phase} {c.Name} {Convert.ToHexString(c.Bytes)}\n"));

    public static IReadOnlyList<FuzzCase> Parse(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .Select(parts => new FuzzCase(parts[0], parts[1], Convert.FromHexString(parts[2])))
            .ToList();

    private static void Add(List<FuzzCase> cases, string phase, string name, byte[] bytes) => cases.Add(new FuzzCase(phase, name, bytes));

    private static byte[] Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>One to three of: a byte changed, a byte inserted, a byte removed, the packet cut short.</summary>
    private static byte[] Mutate(Random random, byte[] packet)
    {
        var bytes = packet.ToList();
        for (var n = random.Next(1, 4); n > 0 && bytes.Count > 1; n--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                case 2:
                    bytes.RemoveAt(at);
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }

        return [.. bytes];
    }

    private static byte[] String(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        return [(byte)(bytes.Length >> 8), (byte)bytes.Length, .. bytes];
    }
}
