namespace DeviceFabric.Transfers;

/// <summary>
/// Where a job's folders and files are. A folder is a <c>file:</c> URI or a path, taken relative to the transfer
/// directory (a leading slash too); whatever it says, it must stay inside that directory, and a file name is a name,
/// not a path. So a service caller allowed to import can read, and one allowed to export can write, only there.
/// </summary>
internal static class TransferPaths
{
    public const string DefaultDevicesFile = "devices.txt";
    public const string ErrorsFile = "importErrors.log";

    /// <summary>The folder's full path inside <paramref name="root"/>; throws BlobContainerValidationError otherwise.</summary>
    public static string Folder(string root, string? folder, string what)
    {
        if (string.IsNullOrWhiteSpace(folder))
        {
            throw Invalid($"The {what} folder is missing.");
        }

        var relative = folder.Trim();
        if (Uri.TryCreate(relative, UriKind.Absolute, out var uri) && relative.Contains("://", StringComparison.Ordinal))
        {
            if (!uri.IsFile)
            {
                throw Invalid($"The {what} folder '{folder}' is not a file: URI or path; the fabric reads and writes its own transfer directory only.");
            }

            relative = Uri.UnescapeDataString(uri.AbsolutePath);
        }

        var fullRoot = Path.GetFullPath(root);
        var full = Path.GetFullPath(Path.Combine(fullRoot, relative.TrimStart('/', '\\')));
        if (!full.StartsWith(fullRoot.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal) && full != fullRoot)
        {
            throw Invalid($"The {what} folder '{folder}' is outside the transfer directory.");
        }

        return full;
    }

    /// <summary>A file name in a folder: a plain name, default <paramref name="fallback"/>.</summary>
    public static string FileName(string? name, string fallback)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return fallback;
        }

        if (name != Path.GetFileName(name) || name is "." or ".." || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            throw Invalid($"'{name}' is not a file name.");
        }

        return name;
    }

    private static DeviceFabricException Invalid(string message) => new(DeviceFabricErrorCode.BlobContainerValidationError, message);
}
