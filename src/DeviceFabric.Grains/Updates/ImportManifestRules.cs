using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace DeviceFabric.Updates;

/// <summary>
/// Checks an import manifest of Device Update for IoT Hub (schema 4.0, and 5.0 with its related files and download
/// handlers) as the service checks it at import, and reads it into an <see cref="ImportManifest"/>. Every refusal is a
/// 400 whose message names the JSON path of the offending member. Members the schema does not know are ignored, so
/// manifests written by newer tools still import.
/// </summary>
internal static partial class ImportManifestRules
{
    /// <summary>The largest manifest read, in UTF-8 bytes; ten steps and ten files with their hashes take a few KB.</summary>
    public const int MaxDocumentBytes = 64 * 1024;

    /// <summary>
    /// The deepest nesting read: the schema itself needs six levels (a related file's hashes), the rest is for handler
    /// and file properties.
    /// </summary>
    public const int MaxDepth = 16;

    /// <summary>The type of a step that runs a handler on the device, the default.</summary>
    public const string InlineStep = "inline";

    /// <summary>The type of a step that installs another update.</summary>
    public const string ReferenceStep = "reference";

    /// <summary>The name errors give the document itself.</summary>
    private const string Root = "importManifest";

    /// <summary>Validates an import manifest and reads it.</summary>
    /// <param name="json">The manifest's JSON text.</param>
    /// <param name="now">The current time: a manifest written more than a day after it is refused, as a wrong clock wrote it.</param>
    /// <returns>The manifest, read.</returns>
    /// <exception cref="DeviceFabricException">With <see cref="DeviceFabricErrorCode.ArgumentInvalid"/> when a rule is broken.</exception>
    public static ImportManifest Parse(string json, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(json);
        var root = ParseDocument(json);

        // The schema version first, so a manifest of another schema is refused as that, not for a member it spells differently.
        var versionPath = Child(Root, "manifestVersion");
        var manifestVersion = AsString(root["manifestVersion"]);
        if (manifestVersion is not ("4.0" or "5.0"))
        {
            throw Expected(root["manifestVersion"], versionPath, "the string 4.0 or 5.0 (the import manifest schema)");
        }

        var updateId = ParseUpdateId(root["updateId"], Child(Root, "updateId"));
        var description = OptionalString(root, "description", Root, 512);
        var isDeployable = ParseIsDeployable(root["isDeployable"], Child(Root, "isDeployable"));
        var compatibility = ParseCompatibility(root["compatibility"], Child(Root, "compatibility"), isDeployable);

        // Files before steps, as each inline step must name files the manifest lists.
        var files = ParseFiles(root["files"], Child(Root, "files"));
        var steps = ParseSteps(root["instructions"], Child(Root, "instructions"), files, updateId);
        var created = ParseCreated(root["createdDateTime"], Child(Root, "createdDateTime"), now);
        return new ImportManifest(updateId, description, isDeployable, compatibility, steps, files, manifestVersion, created);
    }

    /// <summary>The text as a JSON object, its size checked before any parsing so an oversized upload costs nothing more.</summary>
    private static JsonObject ParseDocument(string json)
    {
        // A char is at least one UTF-8 byte, so the length alone refuses most oversized text without counting.
        if (json.Length > MaxDocumentBytes || Encoding.UTF8.GetByteCount(json) > MaxDocumentBytes)
        {
            throw Invalid($"{Root} is larger than {MaxDocumentBytes} bytes: an import manifest lists files, it does not hold them.");
        }

        JsonNode? node;
        try
        {
            // A member given twice is refused: readers differ on which of the two counts.
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = MaxDepth, AllowDuplicateProperties = false });
        }
        catch (JsonException ex)
        {
            throw Invalid($"{Root} is not valid JSON nested at most {MaxDepth} levels deep, each member given once: {ex.Message}");
        }

        return node as JsonObject ?? throw Invalid($"{Root} must be a JSON object.");
    }

    /// <summary>
    /// An update identity: provider and name in Device Update's characters, and a version of 2 to 4 numbers, each at
    /// most 2147483647, with leading zeros dropped (so <c>1.01</c> is <c>1.1</c>) as the service drops them.
    /// </summary>
    private static UpdateId ParseUpdateId(JsonNode? node, string path)
    {
        var id = RequireObject(node, path, "an object with provider, name and version");
        var provider = RequireIdPart(id, "provider", path);
        var name = RequireIdPart(id, "name", path);
        var versionPath = Child(path, "version");
        var version = AsString(id["version"]);
        if (version is null || !VersionPattern().IsMatch(version))
        {
            throw Expected(id["version"], versionPath, "2 to 4 numbers separated by dots (1.0, 1.2.3.4)");
        }

        var parts = version.Split('.');
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                throw Invalid($"{versionPath} has a number over {int.MaxValue}: each number of a version is at most {int.MaxValue}.");
            }

            parts[i] = number.ToString(CultureInfo.InvariantCulture);
        }

        return new UpdateId(provider, name, string.Join('.', parts));
    }

    /// <summary>The provider or name of an update identity: 1-64 ASCII letters, digits, dots or hyphens.</summary>
    private static string RequireIdPart(JsonObject id, string member, string path)
    {
        var text = AsString(id[member]);
        if (text is null || text.Length > 64 || !IdPartPattern().IsMatch(text))
        {
            throw Expected(id[member], Child(path, member), "1-64 ASCII letters, digits, dots or hyphens");
        }

        return text;
    }

    /// <summary><c>isDeployable</c>: true unless the manifest says false; an update only others refer to says false.</summary>
    private static bool ParseIsDeployable(JsonNode? node, string path) => node switch
    {
        null => true,
        JsonValue value when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False => value.GetValue<bool>(),
        _ => throw Invalid($"{path} must be true or false."),
    };

    /// <summary>
    /// The device property sets the update is for: 1-10 objects of 1-5 string properties. A deployable update must give
    /// them, as deployments pick devices by them; one installed only through another update's reference step may not.
    /// </summary>
    private static IReadOnlyList<IReadOnlyDictionary<string, string>> ParseCompatibility(JsonNode? node, string path, bool isDeployable)
    {
        if (node is null && isDeployable)
        {
            throw Invalid($"{path} is missing: a deployable update needs 1-10 sets of device properties it is compatible with.");
        }

        if (node is null)
        {
            return [];
        }

        var array = RequireArray(node, path, 1, 10, "sets of device properties");
        var sets = new List<IReadOnlyDictionary<string, string>>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            var setPath = $"{path}[{i}]";
            var set = RequireObject(array[i], setPath, "an object of 1-5 device properties, such as {\"manufacturer\": \"Contoso\"}");
            if (set.Count is < 1 or > 5)
            {
                throw Invalid($"{setPath} has {set.Count} properties: give 1 to 5.");
            }

            // Kept in the manifest's order, which the update manifest given to devices repeats.
            var properties = new OrderedDictionary<string, string>(set.Count, StringComparer.Ordinal);
            foreach (var (name, value) in set)
            {
                var propertyPath = Child(setPath, name);
                if (name.Length is < 1 or > 32)
                {
                    throw Invalid($"{propertyPath} has a name of {name.Length} characters: use 1 to 32.");
                }

                properties.Add(name, RequireString(value, propertyPath, 64));
            }

            sets.Add(properties);
        }

        return sets;
    }

    /// <summary>
    /// When the manifest was written: ISO 8601, a time without an offset read as UTC rather than in the server's zone,
    /// and not more than a day ahead, which only a wrong clock writes.
    /// </summary>
    private static DateTimeOffset ParseCreated(JsonNode? node, string path, DateTimeOffset now)
    {
        var text = AsString(node);
        if (text is null
            || !IsoDatePattern().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created))
        {
            throw Expected(node, path, "an ISO 8601 date and time such as 2020-10-02T22:18:04.9446744Z");
        }

        if (created > now.AddDays(1))
        {
            throw Invalid($"{path} is more than a day after now ({now.UtcDateTime:O}): check the clock of the tool that wrote the manifest.");
        }

        return created;
    }

    /// <summary>A provider or name of an update identity; <c>\z</c>, as <c>$</c> would let a final line break through.</summary>
    [GeneratedRegex(@"^[a-zA-Z0-9.-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdPartPattern();

    /// <summary>2 to 4 numbers separated by dots, in ASCII digits (<c>\d</c> would take any script's digits).</summary>
    [GeneratedRegex(@"^[0-9]+(?:\.[0-9]+){1,3}\z", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();

    /// <summary>An ISO 8601 date (yyyy-MM-dd) first: without it the lenient parser would also take 1/2/2020.</summary>
    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ][^\r\n]*)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDatePattern();
}
