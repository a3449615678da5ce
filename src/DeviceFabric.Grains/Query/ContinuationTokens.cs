using System.Globalization;
using System.Text;

namespace DeviceFabric.Query;

/// <summary>
/// The one continuation-token format of listing, queries and jobs: the parts a page resumes from, joined by line breaks
/// (device and job ids never hold one) and base64-encoded. A token this fabric did not issue is IoT Hub's 400.
/// </summary>
internal static class ContinuationTokens
{
    public static string Encode(params string[] parts) => Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Join('\n', parts)));

    /// <summary>The token's parts, or null when there is no token (the first page).</summary>
    public static string[]? Decode(string? token, int partCount)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        var bytes = new byte[token.Length];
        var parts = Convert.TryFromBase64String(token, bytes, out var written) ? Encoding.UTF8.GetString(bytes, 0, written).Split('\n') : [];
        return parts.Length == partCount && parts.All(p => p.Length > 0) ? parts : throw Invalid();
    }

    /// <summary>A count or a tick value read back from a token.</summary>
    public static long Number(string part, long max = long.MaxValue) =>
        long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= max ? value : throw Invalid();

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static DeviceFabricException Invalid() => new(DeviceFabricErrorCode.ArgumentInvalid, "The continuation token is not one this fabric issued.");
}
