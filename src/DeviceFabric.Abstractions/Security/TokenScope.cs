namespace DeviceFabric.Security;

/// <summary>
/// What a SAS token may touch: the resource its <c>sr</c> names and what lies beneath it, segment by segment, as IoT Hub
/// scopes tokens. A token for <c>{host}</c> covers the whole hub; one for <c>{host}/devices/d1</c> covers device d1 alone.
/// </summary>
public static class TokenScope
{
    /// <summary>
    /// Whether <paramref name="resource"/> covers <paramref name="target"/>: equal, or a prefix ending at a <c>/</c>. Host
    /// names match in any case; the path does not, as device ids are case-sensitive (a token for <c>d1</c> is not one for
    /// <c>D1</c>).
    /// </summary>
    public static bool Covers(string resource, string target)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(target);
        var audience = resource.AsSpan().TrimEnd('/');
        var audienceHostLength = HostLength(audience);
        var targetHostLength = HostLength(target);
        var audiencePath = audience[audienceHostLength..];
        var targetPath = target.AsSpan(targetHostLength);
        return audience[..audienceHostLength].Equals(target.AsSpan(0, targetHostLength), StringComparison.OrdinalIgnoreCase)
            && targetPath.StartsWith(audiencePath, StringComparison.Ordinal)
            && (targetPath.Length == audiencePath.Length || targetPath[audiencePath.Length] == '/');
    }

    /// <summary>
    /// The resource a REST path acts on: the path itself, with a twin's (<c>/twins/{id}...</c>) taken as its device's
    /// (<c>/devices/{id}...</c>), so a token for a device reaches that device's twin and methods too. The hub-wide query
    /// (<c>/devices/query</c>) is the hub's, not that of a device called "query".
    /// </summary>
    public static string ResourceOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Equals(HubQueryPath, StringComparison.OrdinalIgnoreCase))
        {
            return string.Empty;
        }

        return path.StartsWith("/twins/", StringComparison.OrdinalIgnoreCase) ? string.Concat("/devices/", path.AsSpan("/twins/".Length)) : path;
    }

    private const string HubQueryPath = "/devices/query";

    private static int HostLength(ReadOnlySpan<char> resource) => resource.IndexOf('/') is var slash and >= 0 ? slash : resource.Length;
}
