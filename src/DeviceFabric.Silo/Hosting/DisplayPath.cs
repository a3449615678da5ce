namespace DeviceFabric.Silo.Hosting;

/// <summary>
/// Paths as the node prints them: relative to the working directory when they are under it (<c>data/certs/ca.pem</c>,
/// what the README's next commands use as written), absolute otherwise.
/// </summary>
internal static class DisplayPath
{
    public static string Of(string path)
    {
        var full = Path.GetFullPath(path);
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, full);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? full : relative;
    }
}
