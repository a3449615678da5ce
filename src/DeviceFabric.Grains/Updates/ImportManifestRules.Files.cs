using System.Text.Json.Nodes;

namespace DeviceFabric.Updates;

/// <summary>The payload files: names, sizes and hashes, and schema 5.0's related files and download handlers.</summary>
internal static partial class ImportManifestRules
{
    /// <summary>The largest file, and the most all files of a manifest may add up to: 2 GB.</summary>
    public const long MaxFileBytes = 2L * 1024 * 1024 * 1024;

    /// <summary>The most related files a file may have, as the 5.0 schema allows.</summary>
    public const int MaxRelatedFiles = 4;

    /// <summary>The most characters of JSON a file's pass-through <c>properties</c> may take.</summary>
    public const int MaxFilePropertiesChars = 4 * 1024;

    /// <summary>
    /// <c>files</c>: 0-10 files (left out or null when every step is a reference step), names unique across the
    /// manifest, related files included, as each becomes a file id of the update manifest.
    /// </summary>
    private static IReadOnlyList<ImportFile> ParseFiles(JsonNode? node, string path)
    {
        if (node is null)
        {
            return [];
        }

        var array = RequireArray(node, path, 0, 10, "files");
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var files = new List<ImportFile>(array.Count);
        long total = 0;
        for (var i = 0; i < array.Count; i++)
        {
            var file = ParseFile(array[i], $"{path}[{i}]", seen, isRelated: false);
            total += file.SizeInBytes;
            files.Add(file);
        }

        return total <= MaxFileBytes
            ? files
            : throw Invalid($"{path} add up to {total} bytes: at most {MaxFileBytes} (2 GB) in all.");
    }

    /// <summary>One file, or one related file (which has no related files or download handler of its own).</summary>
    private static ImportFile ParseFile(JsonNode? node, string path, Dictionary<string, string> seen, bool isRelated)
    {
        var file = RequireObject(node, path, "a file object with filename, sizeInBytes and hashes");
        var name = ParseFileName(file, path, seen);
        var sizePath = Child(path, "sizeInBytes");
        if (!TryGetInteger(file["sizeInBytes"], out var size) || size is < 1 or > MaxFileBytes)
        {
            throw Expected(file["sizeInBytes"], sizePath, $"a whole number of bytes from 1 to {MaxFileBytes}");
        }

        var hashesPath = Child(path, "hashes");
        var hashes = RequireObject(file["hashes"], hashesPath, "an object with sha256, the base64 of the file's SHA-256 hash");
        var sha256 = ParseSha256(hashes["sha256"], Child(hashesPath, "sha256"));
        var properties = ParseFileProperties(file["properties"], Child(path, "properties"));
        if (isRelated)
        {
            return new ImportFile(name, size, sha256, [], null) { PropertiesJson = properties };
        }

        IReadOnlyList<ImportFile> related = [];
        var relatedPath = Child(path, "relatedFiles");
        if (file["relatedFiles"] is { } relatedNode)
        {
            var array = RequireArray(relatedNode, relatedPath, 0, MaxRelatedFiles, "related files");
            var list = new List<ImportFile>(array.Count);
            for (var i = 0; i < array.Count; i++)
            {
                list.Add(ParseFile(array[i], $"{relatedPath}[{i}]", seen, isRelated: true));
            }

            related = list;
        }

        var handlerPath = Child(path, "downloadHandler");
        var downloadHandler = ParseDownloadHandler(file["downloadHandler"], handlerPath);

        // The agent reads related files only through the download handler that uses them.
        if (related.Count > 0 && downloadHandler is null)
        {
            throw Invalid($"{handlerPath} is missing: a file with {relatedPath} needs the download handler that uses them, such as {{\"id\": \"microsoft/delta:1\"}}.");
        }

        return new ImportFile(name, size, sha256, related, downloadHandler) { PropertiesJson = properties };
    }

    /// <summary>
    /// A file's name: 1-255 characters, no path separators or control characters, and no <c>.</c> or <c>..</c>, as it
    /// names a stored file. The 5.0 documentation spells the member <c>fileName</c> in an example, so that is read too.
    /// </summary>
    private static string ParseFileName(JsonObject file, string path, Dictionary<string, string> seen)
    {
        var member = file["filename"] is null && file["fileName"] is not null ? "fileName" : "filename";
        var namePath = Child(path, member);
        var name = AsString(file[member]);
        if (name is null || name.Length is < 1 or > 255 || name is "." or ".." || name.AsSpan().ContainsAny('/', '\\') || HasControl(name))
        {
            throw Expected(file[member], namePath, "a file name of 1-255 characters without /, \\ or control characters");
        }

        if (!seen.TryAdd(name, namePath))
        {
            throw Invalid($"{namePath} is '{Shown(name)}', as is {seen[name]}: each file of a manifest needs its own name.");
        }

        return name;
    }

    /// <summary><c>hashes.sha256</c>: the base64 of 32 bytes, which is 44 characters with one <c>=</c> of padding.</summary>
    private static string ParseSha256(JsonNode? node, string path)
    {
        var text = AsString(node);
        Span<byte> hash = stackalloc byte[32];
        if (text is not { Length: 44 } || !Convert.TryFromBase64String(text, hash, out var written) || written != 32)
        {
            throw Expected(node, path, "the base64 of the file's SHA-256 hash (32 bytes, 44 characters)");
        }

        return text;
    }

    /// <summary>A file's optional <c>properties</c>: an object Device Update passes through to the device.</summary>
    private static string? ParseFileProperties(JsonNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        var text = RequireObject(node, path, "an object of properties passed to the device").ToJsonString();
        return text.Length <= MaxFilePropertiesChars
            ? text
            : throw Invalid($"{path} takes {text.Length} characters of JSON: at most {MaxFilePropertiesChars}.");
    }

    /// <summary>A file's optional <c>downloadHandler</c>: an object whose <c>id</c> names the agent's handler, vendor/name:version.</summary>
    private static string? ParseDownloadHandler(JsonNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        var handler = RequireObject(node, path, "an object with an id, such as {\"id\": \"microsoft/delta:1\"}");
        var id = AsString(handler["id"]);
        return id is { Length: >= 5 and <= 64 } && HandlerPattern().IsMatch(id)
            ? id
            : throw Expected(handler["id"], Child(path, "id"), "a download handler of 5-64 characters written vendor/name:version, such as microsoft/delta:1");
    }
}
