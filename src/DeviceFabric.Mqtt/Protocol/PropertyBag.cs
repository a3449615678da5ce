namespace DeviceFabric.Mqtt.Protocol;

/// <summary>
/// A topic's property bag: URL-encoded <c>key=value</c> pairs joined by <c>&amp;</c>. Keys starting with <c>$.</c> (raw
/// or as <c>%24.</c>) are IoT Hub's system properties; parsing gives them their service-side names.
/// </summary>
internal static class PropertyBag
{
    private static readonly Dictionary<string, string> s_systemNames = new(StringComparer.Ordinal)
    {
        ["$.mid"] = "message-id",
        ["$.cid"] = "correlation-id",
        ["$.uid"] = "user-id",
        ["$.to"] = "to",
        ["$.exp"] = "absolute-expiry-time",
        ["$.ct"] = "content-type",
        ["$.ce"] = "content-encoding",
        ["$.ctime"] = "creation-time",
        ["$.on"] = "iothub-outputname",
        ["$.ifid"] = "iothub-interface-id",
        ["$.sub"] = "dt-subject",
        ["$.schema"] = "dt-dataschema",
        ["$.diagid"] = "iothub-diagid",
        ["$.diagctx"] = "iothub-diagctx",
    };

    /// <summary>Splits a bag into system and application properties; later duplicates win.</summary>
    public static (Dictionary<string, string> System, Dictionary<string, string> Application) Parse(string bag)
    {
        var system = new Dictionary<string, string>(StringComparer.Ordinal);
        var application = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in bag.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..]);
            if (key.StartsWith("$.", StringComparison.Ordinal))
            {
                system[s_systemNames.GetValueOrDefault(key, key)] = value;
            }
            else
            {
                application[key] = value;
            }
        }

        return (system, application);
    }

    /// <summary>Joins pairs into a bag, key and value URL-encoded (<c>/</c> as <c>%2F</c>, spaces as <c>%20</c>), in the order given.</summary>
    public static string Encode(IEnumerable<KeyValuePair<string, string?>> pairs) =>
        string.Join('&', pairs.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value ?? string.Empty)));
}
