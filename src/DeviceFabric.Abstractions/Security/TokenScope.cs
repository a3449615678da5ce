namespace DeviceFabric.Security;

/// <summary>
/// What a SAS token may touch: the resource its <c>sr</c> names and what lies beneath it, segment by segment, as IoT Hub
/// scopes tokens. A token for <c>{host}</c> covers the whole hub; one for <c>{host}/devices/d1</c> covers device d1 alone.
/// </summary>
public static class TokenScope
{
    /// <summary>Whether <paramref name="resource"/> covers <paramref name="target"/>: equal, or a prefix ending at a <c>/</c>.</summary>
    public static bool Covers(string resource, string target)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(target);
        var audience = resource.TrimEnd('/');
        return target.StartsWith(audience, StringComparison.OrdinalIgnoreCase)
            && (target.Length == audience.Length || target[audience.Length] == '/');
    }

    /// <summary>
    /// The resource a REST path acts on: the path itself, with a twin's (<c>/twins/{id}...</c>) taken as its device's
    /// (<c>/devices/{id}...</c>), so a token for a device reaches that device's twin and methods too.
    /// </summary>
    public static string ResourceOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.StartsWith("/twins/", StringComparison.OrdinalIgnoreCase) ? string.Concat("/devices/", path.AsSpan("/twins/".Length)) : path;
    }
}
