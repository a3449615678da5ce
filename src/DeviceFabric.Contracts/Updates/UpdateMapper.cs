using System.Text.Json;
using DeviceFabric.Updates;

namespace DeviceFabric.Contracts.Updates;

/// <summary>Maps the fabric's update records to Device Update's JSON.</summary>
public static class UpdateMapper
{
    /// <summary>The update as Device Update shows it.</summary>
    public static UpdateJson ToJson(UpdateRecord update)
    {
        ArgumentNullException.ThrowIfNull(update);
        using var manifest = JsonDocument.Parse(update.ImportManifestJson);
        return new UpdateJson
        {
            UpdateId = ToJson(update.UpdateId),
            Description = update.Description,
            IsDeployable = update.IsDeployable,
            Compatibility = [.. update.Compatibility.Select(c => new Dictionary<string, string>(c))],
            Instructions = manifest.RootElement.TryGetProperty("instructions", out var instructions) ? instructions.Clone() : null,
            ManifestVersion = update.ManifestVersion,
            ImportedDateTime = update.ImportedDateTime.UtcDateTime,
            CreatedDateTime = update.CreatedDateTime.UtcDateTime,
            Etag = update.ETag,
        };
    }

    /// <summary>An update id as Device Update writes it.</summary>
    public static UpdateIdJson ToJson(UpdateId id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return new UpdateIdJson { Provider = id.Provider, Name = id.Name, Version = id.Version };
    }

    /// <summary>A file of an update.</summary>
    public static UpdateFileJson ToJson(UpdateFile file, string etag)
    {
        ArgumentNullException.ThrowIfNull(file);
        return new UpdateFileJson
        {
            FileId = file.FileId,
            FileName = file.FileName,
            SizeInBytes = file.SizeInBytes,
            Hashes = new Dictionary<string, string> { ["sha256"] = file.Sha256 },
            Etag = etag,
        };
    }
}
