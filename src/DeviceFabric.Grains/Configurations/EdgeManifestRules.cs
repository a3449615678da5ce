using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DeviceFabric.Modules;

namespace DeviceFabric.Configurations;

/// <summary>
/// What the <c>modulesContent</c> of an IoT Edge deployment (or of <c>applyConfigurationContent</c>) must be, checked as
/// EdgeAgent and EdgeHub read their desired properties. A manifest the runtime would report as 400 or 412 is refused up
/// front, so an operator sees the error on the request and not later in <c>lastDesiredStatus</c>. Every refusal is a
/// <see cref="DeviceFabricErrorCode.ArgumentInvalid"/> whose message names the JSON path of the offending value.
/// </summary>
internal static partial class EdgeManifestRules
{
    /// <summary>
    /// The most module twins, twin paths, modules and routes one manifest may hold in all. IoT Hub allows 50 modules a
    /// device, so a real manifest stays well below this; a larger one is refused before any other work.
    /// </summary>
    public const int MaxEntries = 200;

    /// <summary>The first segment of every path in a message, named as the configuration's JSON names it.</summary>
    private const string Root = "modulesContent";

    /// <summary>The module twin EdgeAgent reads its deployment from.</summary>
    private const string EdgeAgentId = "$edgeAgent";

    /// <summary>The module twin EdgeHub reads its routes from.</summary>
    private const string EdgeHubId = "$edgeHub";

    /// <summary>The twin path of a whole desired section.</summary>
    private const string Desired = "properties.desired";

    /// <summary>How a layered path under the desired section begins.</summary>
    private const string DesiredPrefix = "properties.desired.";

    /// <summary>Names longer than this are cut in messages, so a hostile key cannot blow up an error response.</summary>
    private const int MaxShownName = 128;

    /// <summary>The two module twins every deployment that is not layered must give whole.</summary>
    private static readonly string[] s_systemModuleIds = [EdgeAgentId, EdgeHubId];

    /// <summary>Characters that would make a dotted path ambiguous, so names holding them are shown as <c>['name']</c>.</summary>
    private static readonly SearchValues<char> s_bracketed = SearchValues.Create(".[]'\" \t\r\n");

    /// <summary>Validates the modulesContent of an IoT Edge deployment (or of applyConfigurationContent) as the IoT Edge runtime would read it.</summary>
    /// <param name="modulesContent">Module ids mapped to objects of twin paths (<c>properties.desired</c> or paths under it).</param>
    /// <param name="layered">
    /// Whether the content is a layered deployment, which may set single paths of <c>$edgeAgent</c> and <c>$edgeHub</c>
    /// on top of a base deployment instead of giving their whole desired properties.
    /// </param>
    /// <exception cref="DeviceFabricException">With <see cref="DeviceFabricErrorCode.ArgumentInvalid"/> when a rule is broken.</exception>
    public static void Validate(JsonObject modulesContent, bool layered)
    {
        ArgumentNullException.ThrowIfNull(modulesContent);
        if (CountEntries(modulesContent) > MaxEntries)
        {
            throw Invalid($"{Root} holds more than {MaxEntries} module twins, twin paths, modules and routes: split the deployment into layers.");
        }

        if (!layered)
        {
            foreach (var systemId in s_systemModuleIds)
            {
                if (modulesContent[systemId] is null)
                {
                    throw Invalid($"{Child(Root, systemId)} is missing: a deployment that is not layered gives its whole '{Desired}'.");
                }
            }
        }

        foreach (var (moduleId, content) in modulesContent)
        {
            var path = Child(Root, moduleId);
            if (moduleId is not (EdgeAgentId or EdgeHubId) && !IsModuleId(moduleId))
            {
                throw Invalid($"{path} is not a module id: use 1-{ModuleIds.MaxLength} ASCII letters, digits or {ModuleIds.Symbols}, not starting with $.");
            }

            var twin = RequireObject(content, path, $"an object of twin paths ('{Desired}' or paths under it)");
            if (!layered && moduleId is (EdgeAgentId or EdgeHubId) && (twin.Count != 1 || !twin.ContainsKey(Desired)))
            {
                throw Invalid($"{path} must hold only '{Desired}' in a deployment that is not layered.");
            }

            // The whole section and a path under it would each overwrite the other, depending on which the hub applies last.
            if (twin.Count > 1 && twin.ContainsKey(Desired))
            {
                throw Invalid($"{path} gives both '{Desired}' and paths under it: give one or the other.");
            }

            foreach (var (key, value) in twin)
            {
                ValidateTwinPath(moduleId, key, value, Child(path, key));
            }
        }
    }

    /// <summary>Whether <paramref name="id"/> may name a user module: IoT Hub's module id rules, without the system modules' <c>$</c>.</summary>
    public static bool IsModuleId(string? id) =>
        ModuleIds.IsValid(id) && id![0] != '$';

    /// <summary>Counts what validation will walk, without validating, so an oversized manifest costs nothing more.</summary>
    private static int CountEntries(JsonObject modulesContent)
    {
        var count = modulesContent.Count;
        foreach (var (moduleId, content) in modulesContent)
        {
            if (content is not JsonObject twin)
            {
                continue;
            }

            count += twin.Count;
            if (twin[Desired] is JsonObject desired)
            {
                var listed = moduleId switch { EdgeAgentId => desired["modules"], EdgeHubId => desired["routes"], _ => null };
                count += listed is JsonObject entries ? entries.Count : 0;
            }
        }

        return count;
    }

    /// <summary>Checks one twin path of a module: a whole desired section, or a layered path and the value it sets.</summary>
    private static void ValidateTwinPath(string moduleId, string key, JsonNode? value, string path)
    {
        if (key == Desired)
        {
            var desired = RequireObject(value, path, "an object (the module twin's desired properties)");
            if (moduleId == EdgeAgentId)
            {
                ValidateEdgeAgent(desired, path);
            }
            else if (moduleId == EdgeHubId)
            {
                ValidateEdgeHub(desired, path);
            }

            return;
        }

        if (!key.StartsWith(DesiredPrefix, StringComparison.Ordinal))
        {
            throw Invalid($"{path} is not a twin path: use '{Desired}' or '{DesiredPrefix}<name>', a path under it.");
        }

        var segments = key[DesiredPrefix.Length..].Split('.');
        if (Array.Exists(segments, segment => segment.Length == 0))
        {
            throw Invalid($"{path} has an empty segment: each name between dots must have at least one character.");
        }

        // A layered path set to null takes back what a lower layer set there, as null does in any configuration's content.
        if (value is null)
        {
            return;
        }

        switch (moduleId, segments)
        {
            case (EdgeAgentId, ["modules", var name]):
                ValidateModuleName(name, path);
                ValidateModule(RequireObject(value, path, "a module object"), path);
                break;
            case (EdgeAgentId, ["systemModules", "edgeAgent" or "edgeHub"]):
                ValidateSystemModule(value, path, isEdgeHub: segments[1] == "edgeHub");
                break;
            case (EdgeHubId, ["routes", _]):
                // The schema version lives in another layer, so the route may take the newest form.
                ValidateRoute(value, path, s_latestEdgeHubSchema);
                break;
        }
    }

    /// <summary>The JSON path of a member: dotted when its name reads plainly, else <c>['name']</c>.</summary>
    private static string Child(string path, string name)
    {
        var shown = name.Length <= MaxShownName ? name : string.Concat(name.AsSpan(0, MaxShownName), "...");
        return name.Length > 0 && !name.AsSpan().ContainsAny(s_bracketed)
            ? $"{path}.{shown}"
            : $"{path}['{shown.Replace("'", "\\'", StringComparison.Ordinal)}']";
    }

    /// <summary>The value as an object, or the refusal that says what <paramref name="expected"/> it had to be.</summary>
    private static JsonObject RequireObject(JsonNode? node, string path, string expected) =>
        node as JsonObject ?? throw Expected(node, path, expected);

    /// <summary>The refusal of a missing or mistyped value, worded for which of the two it is.</summary>
    private static DeviceFabricException Expected(JsonNode? node, string path, string expected) =>
        Invalid(node is null ? $"{path} is missing: it must be {expected}." : $"{path} must be {expected}.");

    /// <summary>The text of a JSON string, or null for anything else (absent, null, number, object...).</summary>
    private static string? AsString(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>
    /// Reads a JSON integer. The runtime's JSON reader refuses <c>5.0</c> or <c>1e3</c> where it wants an integer, so
    /// only a plain integer literal counts.
    /// </summary>
    private static bool TryGetInteger(JsonNode? node, out long value)
    {
        value = 0;
        return node is JsonValue number
            && number.GetValueKind() == JsonValueKind.Number
            && long.TryParse(number.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>The 400 every rule of this class throws.</summary>
    private static DeviceFabricException Invalid(string message) => new(DeviceFabricErrorCode.ArgumentInvalid, message);
}
