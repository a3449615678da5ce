using System.Globalization;
using System.Text.Json.Nodes;

namespace DeviceFabric.Updates;

/// <summary>The update manifest: what a device is given of an imported update, in the twin's <c>deviceUpdate.service.updateManifest</c>.</summary>
internal static partial class ImportManifestRules
{
    /// <summary>
    /// Writes the update manifest of an imported update as the agent reads it: compact JSON text (the string that is
    /// signed and placed in the twin), files keyed by file id, and steps naming file ids rather than file names.
    /// </summary>
    /// <param name="manifest">The imported manifest, as <see cref="Parse"/> read it.</param>
    /// <param name="fileIds">The id of every file of the manifest, related files included, by file name; the twin's <c>fileUrls</c> use the same ids.</param>
    /// <returns>The update manifest's JSON text.</returns>
    /// <exception cref="ArgumentException">When a file has no id in <paramref name="fileIds"/>, or two files share one.</exception>
    /// <remarks>
    /// A reference step is written <c>{"type":"reference","updateId":{...}}</c>. Device Update itself sends such a step
    /// as a <c>detachedManifestFileId</c>, the file id of the referenced update's own manifest; whoever deploys the
    /// update resolves the id it names.
    /// </remarks>
    public static string UpdateManifest(ImportManifest manifest, IReadOnlyDictionary<string, string> fileIds)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(fileIds);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var files = new JsonObject();
        foreach (var file in manifest.Files)
        {
            var node = FileNode(file, isRelated: false);
            if (file.RelatedFiles.Count > 0)
            {
                // The agent reads related files as an object keyed by file id, each with its properties (an empty
                // object when the manifest gave none, as the agent refuses a related file without them).
                var related = new JsonObject();
                foreach (var relatedFile in file.RelatedFiles)
                {
                    related[IdOf(relatedFile.FileName, fileIds, used)] = FileNode(relatedFile, isRelated: true);
                }

                node["relatedFiles"] = related;
            }

            files[IdOf(file.FileName, fileIds, used)] = node;
        }

        // Arrays are filled as JsonNode arrays: JsonArray's generic Add is the reflection-based path.
        var steps = new JsonNode?[manifest.Steps.Count];
        for (var i = 0; i < steps.Length; i++)
        {
            steps[i] = StepNode(manifest.Steps[i], fileIds);
        }

        var compatibility = new JsonNode?[manifest.Compatibility.Count];
        for (var i = 0; i < compatibility.Length; i++)
        {
            var properties = new JsonObject();
            foreach (var (name, value) in manifest.Compatibility[i])
            {
                properties[name] = value;
            }

            compatibility[i] = properties;
        }

        return new JsonObject
        {
            // The update manifest's schema is the import manifest's major version: "4" for 4.0, "5" for 5.0.
            ["manifestVersion"] = manifest.ManifestVersion.Split('.')[0],
            ["updateId"] = UpdateIdNode(manifest.UpdateId),
            ["compatibility"] = new JsonArray(compatibility),
            ["instructions"] = new JsonObject { ["steps"] = new JsonArray(steps) },
            ["files"] = files,
            ["createdDateTime"] = manifest.CreatedDateTime.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        }.ToJsonString();
    }

    /// <summary>A file's entry. The agent reads the name as <c>fileName</c>, case-sensitively, though the import manifest spells it <c>filename</c>.</summary>
    private static JsonObject FileNode(ImportFile file, bool isRelated)
    {
        var node = new JsonObject
        {
            ["fileName"] = file.FileName,
            ["sizeInBytes"] = file.SizeInBytes,
            ["hashes"] = new JsonObject { ["sha256"] = file.Sha256Base64 },
        };
        if (file.PropertiesJson is not null || isRelated)
        {
            node["properties"] = file.PropertiesJson is { } properties ? JsonNode.Parse(properties) : new JsonObject();
        }

        if (file.DownloadHandlerId is { } handler)
        {
            node["downloadHandler"] = new JsonObject { ["id"] = handler };
        }

        return node;
    }

    /// <summary>A step's entry: an inline step's handler, properties and file ids, or a reference step's update.</summary>
    private static JsonObject StepNode(ImportStep step, IReadOnlyDictionary<string, string> fileIds)
    {
        if (step.Type == ReferenceStep)
        {
            return new JsonObject
            {
                ["type"] = ReferenceStep,
                ["updateId"] = UpdateIdNode(step.ReferencedUpdate ?? throw new ArgumentException("A reference step of the manifest names no update.")),
            };
        }

        var node = new JsonObject { ["handler"] = step.Handler };
        if (step.HandlerPropertiesJson is { } properties)
        {
            node["handlerProperties"] = JsonNode.Parse(properties);
        }

        var files = new JsonNode?[step.Files.Count];
        for (var i = 0; i < files.Length; i++)
        {
            files[i] = fileIds.TryGetValue(step.Files[i], out var id) ? id : throw MissingId(step.Files[i]);
        }

        node["files"] = new JsonArray(files);
        return node;
    }

    /// <summary>An update identity as the manifest's object.</summary>
    private static JsonObject UpdateIdNode(UpdateId id) => new()
    {
        ["provider"] = id.Provider,
        ["name"] = id.Name,
        ["version"] = id.Version,
    };

    /// <summary>The id of a file, which no other file of the manifest may have, as the twin's <c>fileUrls</c> key files by id.</summary>
    private static string IdOf(string fileName, IReadOnlyDictionary<string, string> fileIds, HashSet<string> used)
    {
        var id = fileIds.TryGetValue(fileName, out var found) ? found : throw MissingId(fileName);
        return used.Add(id) ? id : throw new ArgumentException($"The file id '{id}' is given to two files; each file needs its own.", nameof(fileIds));
    }

    /// <summary>The refusal of a file that <c>fileIds</c> gives no id.</summary>
    private static ArgumentException MissingId(string fileName) =>
        new($"fileIds gives no id for the file '{fileName}' of the manifest.");
}
