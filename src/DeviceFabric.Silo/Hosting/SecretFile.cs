namespace DeviceFabric.Silo.Hosting;

/// <summary>A file in the data directory that holds a secret: written owner-only, and only when its text changes.</summary>
internal static class SecretFile
{
    /// <summary>Writes <paramref name="text"/> unless the file holds it already; returns whether it wrote.</summary>
    public static async Task<bool> SaveAsync(string path, string text, CancellationToken cancellationToken)
    {
        if (File.Exists(path) && await File.ReadAllTextAsync(path, cancellationToken) == text)
        {
            return false;
        }

        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        File.Delete(path);
        await using var writer = new StreamWriter(path, new System.Text.UTF8Encoding(false), options);
        await writer.WriteAsync(text);
        return true;
    }
}
