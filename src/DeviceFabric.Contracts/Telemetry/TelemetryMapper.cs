using System.Globalization;
using System.Text;
using DeviceFabric.Telemetry;

namespace DeviceFabric.Contracts.Telemetry;

/// <summary>Telemetry as the REST API shows it.</summary>
public static class TelemetryMapper
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>A partition's description.</summary>
    public static TelemetryPartitionJson ToJson(TelemetryPartitionInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return new TelemetryPartitionJson
        {
            PartitionId = info.Partition.ToString(CultureInfo.InvariantCulture),
            FirstOffset = info.FirstOffset,
            LastOffset = info.LastOffset,
            FirstSequenceNumber = info.FirstSequenceNumber,
            LastSequenceNumber = info.LastSequenceNumber,
            LastEnqueuedTime = info.LastEnqueuedTime,
            IsEmpty = info.FirstOffset is null,
        };
    }

    /// <summary>
    /// An event: the body as text when its content type says JSON or text and it is valid UTF-8 (else base64), and the
    /// system properties Event Hubs readers look for (<c>x-opt-offset</c>, <c>x-opt-sequence-number</c>, <c>x-opt-enqueued-time</c>).
    /// </summary>
    public static TelemetryEventJson ToJson(TelemetryEvent item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var message = item.Message;
        var system = new Dictionary<string, object>(message.SystemProperties.Count + 3, StringComparer.Ordinal);
        foreach (var (name, value) in message.SystemProperties)
        {
            system[name] = value;
        }

        system["x-opt-offset"] = item.Offset.ToString(CultureInfo.InvariantCulture);
        system["x-opt-sequence-number"] = item.SequenceNumber;
        system["x-opt-enqueued-time"] = message.EnqueuedTime.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        var json = new TelemetryEventJson { Properties = new Dictionary<string, string>(message.Properties, StringComparer.Ordinal), SystemProperties = system };
        if (IsText(message.SystemProperties) && TryDecode(message.Body, out var text))
        {
            json.Body = text;
        }
        else
        {
            json.BodyBase64 = Convert.ToBase64String(message.Body);
        }

        return json;
    }

    private static bool IsText(IReadOnlyDictionary<string, string> system)
    {
        if (!system.TryGetValue("content-type", out var type))
        {
            return false;
        }

        var media = type.Split(';', 2)[0].Trim();
        return media.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            || media.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    private static bool TryDecode(byte[] body, out string text)
    {
        try
        {
            text = s_strictUtf8.GetString(body);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = string.Empty;
            return false;
        }
    }
}
