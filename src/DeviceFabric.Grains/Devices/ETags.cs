using System.Buffers.Binary;

namespace DeviceFabric.Devices;

/// <summary>Etags in IoT Hub's form (base64 of a big-endian 64-bit version, e.g. <c>AAAAAAAAAAE=</c>) and If-Match rules.</summary>
internal static class ETags
{
    public static string FromVersion(long version)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, version);
        return Convert.ToBase64String(bytes);
    }

    /// <summary>The version an etag of <see cref="FromVersion"/> carries.</summary>
    public static long ToVersion(string etag)
    {
        Span<byte> bytes = stackalloc byte[8];
        return Convert.TryFromBase64String(etag, bytes, out var written) && written == 8
            ? BinaryPrimitives.ReadInt64BigEndian(bytes)
            : throw new FormatException($"'{etag}' is not an etag of this fabric.");
    }

    /// <summary>
    /// Whether an If-Match value admits the current etag: null, empty and <c>*</c> (quoted or not, as the Node SDK
    /// sends <c>"*"</c>) match anything; otherwise the value, without its quotes, must equal the etag.
    /// </summary>
    public static bool Matches(string? ifMatch, string current)
    {
        if (string.IsNullOrWhiteSpace(ifMatch))
        {
            return true;
        }

        var value = ifMatch.Trim();
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            value = value[1..^1];
        }

        return value == "*" || string.Equals(value, current, StringComparison.Ordinal);
    }
}
