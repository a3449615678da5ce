using System.Buffers;
using System.Text.Json.Nodes;
using DeviceFabric.Query;

namespace DeviceFabric.Configurations;

/// <summary>
/// IoT Hub's rules for a configuration: its id, labels, content paths and values, target condition and metric queries,
/// and IoT Edge's for a deployment's manifest. Every refusal is a 400 naming the field.
/// </summary>
internal static class ConfigurationRules
{
    public const int MaxIdLength = 128;
    public const int MaxMetrics = 5;
    public const int MaxLabels = 100;
    public const string ModulesConditionPrefix = "from devices.modules where ";

    private static readonly SearchValues<char> s_idForbidden = SearchValues.Create(" &^[]{}\\|\"<>/");
    private static readonly SearchValues<char> s_labelAllowed = SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-:.+%_#*?!(),=@;'$");

    public static void ValidateId(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxIdLength || id.AsSpan().ContainsAny(s_idForbidden) || id.Any(c => char.IsControl(c) || char.IsUpper(c) || c > 127))
        {
            throw Invalid($"Configuration id '{id}' is invalid: use 1-{MaxIdLength} lower-case ASCII characters without spaces or & ^ [ ] {{ }} \\ | \" < > /.");
        }
    }

    public static void Validate(ConfigurationSettings settings, bool creating)
    {
        if (settings.Labels.Count > MaxLabels)
        {
            throw Invalid($"labels holds more than {MaxLabels} entries.");
        }

        foreach (var (key, value) in settings.Labels)
        {
            if (!IsLabel(key) || key[0] == '$' || !IsLabel(value))
            {
                throw Invalid($"labels['{key}'] is invalid: keys and values are 1-128 ASCII letters, digits or - : . + % _ # * ? ! ( ) , = @ ; ' (keys not starting with $).");
            }
        }

        if (settings.MetricQueries.Count > MaxMetrics)
        {
            throw Invalid($"metrics.queries holds more than {MaxMetrics} queries.");
        }

        // The content first: which kind it is decides how the condition reads.
        if (creating)
        {
            Compile(settings.Content);
        }

        var kind = settings.Content.Kind;
        ParseTarget(settings.TargetCondition, kind, "targetCondition");
        foreach (var (name, query) in settings.MetricQueries)
        {
            if (!IsLabel(name))
            {
                throw Invalid($"metrics.queries['{name}']: metric names are 1-128 ASCII letters, digits or - : . + % _ # * ? ! ( ) , = @ ; '.");
            }

            ParseMetric(query, $"metrics.queries.{name}");
        }
    }

    /// <summary>The parsed target condition (null for every twin); <paramref name="field"/> names it in a refusal.</summary>
    public static QueryExpression? ParseTarget(string? condition, ConfigurationKind kind, string field)
    {
        if (string.IsNullOrWhiteSpace(condition))
        {
            throw Invalid($"{field} is required (use * for every twin).");
        }

        try
        {
            if (kind != ConfigurationKind.Module)
            {
                return QueryParser.ParseCondition(condition);
            }

            var text = condition.Trim();
            if (!text.StartsWith(ModulesConditionPrefix, StringComparison.OrdinalIgnoreCase))
            {
                throw Invalid($"{field} of a module configuration must read 'FROM devices.modules WHERE ...'.");
            }

            return QueryParser.Parse("SELECT * " + text).Where;
        }
        catch (DeviceFabricException ex) when (ex.Code == DeviceFabricErrorCode.ArgumentInvalid && !ex.Message.StartsWith(field, StringComparison.Ordinal))
        {
            throw Invalid($"{field}: {ex.Message}");
        }
    }

    /// <summary>A metric query, parsed: a query over <c>devices</c> or <c>devices.modules</c>.</summary>
    public static DeviceQuery ParseMetric(string query, string field)
    {
        try
        {
            var parsed = QueryParser.Parse(query);
            return parsed.Collection is "devices" or "devices.modules" ? parsed : throw Invalid($"{field} must query devices or devices.modules.");
        }
        catch (DeviceFabricException ex) when (ex.Code == DeviceFabricErrorCode.ArgumentInvalid && !ex.Message.StartsWith(field, StringComparison.Ordinal))
        {
            throw Invalid($"{field}: {ex.Message}");
        }
    }

    /// <summary>The content as paths: for device and module twins, and by module for a deployment; refuses what IoT Hub refuses.</summary>
    public static CompiledContent Compile(ConfigurationContent content)
    {
        var kinds = (content.DeviceContent.Count > 0 ? 1 : 0) + (content.ModuleContent.Count > 0 ? 1 : 0) + (content.ModulesContent.Count > 0 ? 1 : 0);
        if (kinds != 1)
        {
            throw Invalid("content must hold exactly one of deviceContent, moduleContent and modulesContent, not empty.");
        }

        if (content.ModulesContent.Count > 0)
        {
            var manifest = new JsonObject();
            foreach (var (module, paths) in content.ModulesContent)
            {
                manifest[module] = new JsonObject(paths.Select(p => KeyValuePair.Create(p.Key, Parse(p.Value, $"content.modulesContent.{module}['{p.Key}']"))));
            }

            var layered = !(manifest[Modules.ModuleIds.EdgeAgent] is JsonObject agent && agent.ContainsKey(ContentPath.DesiredPrefix));
            EdgeManifestRules.Validate(manifest, layered);
            var byModule = content.ModulesContent.ToDictionary(
                m => m.Key,
                m => WithinLimits(Paths(m.Value, $"content.modulesContent.{m.Key}", allowTags: false), $"content.modulesContent.{m.Key}"),
                StringComparer.Ordinal);
            return new CompiledContent([], byModule);
        }

        var device = content.DeviceContent.Count > 0;
        var field = device ? "content.deviceContent" : "content.moduleContent";
        return new CompiledContent(WithinLimits(Paths(device ? content.DeviceContent : content.ModuleContent, field, allowTags: true), field), new Dictionary<string, List<ContentPath>>());
    }

    private static List<ContentPath> Paths(IReadOnlyDictionary<string, string> content, string field, bool allowTags)
    {
        var paths = new List<ContentPath>();
        foreach (var (key, json) in content)
        {
            var value = Parse(json, $"{field}['{key}']");
            var path = ContentPath.Parse(key, value, allowTags)
                ?? throw Invalid($"{field}['{key}'] must be properties.desired{(allowTags ? ", tags" : string.Empty)} or a path under it.");
            if (path.Segments.Count == 0 && value is not JsonObject)
            {
                throw Invalid($"{field}['{key}'] must be an object: it replaces the whole section.");
            }

            // Checked as the patch the twin will apply: the path's keys and the value's, depth counted from the section.
            JsonNode? patch = value?.DeepClone();
            foreach (var segment in path.Segments.Reverse())
            {
                patch = new JsonObject { [segment] = patch };
            }

            try
            {
                if (patch is JsonObject whole)
                {
                    Twins.TwinRules.ValidatePatch(whole, path.Tags ? "tags" : "properties.desired");
                    Twins.TwinRules.ValidateSize(whole, path.Tags ? Twins.TwinRules.TagsMaxBytes : Twins.TwinRules.PropertiesMaxBytes, path.Tags ? "tags" : "properties.desired");
                }
            }
            catch (DeviceFabricException ex)
            {
                throw Invalid($"{field}['{key}']: {ex.Message}");
            }

            paths.Add(path);
        }

        return paths;
    }

    /// <summary>
    /// Refuses content whose paths together overflow a twin's section (8 KB of tags, 32 KB of desired properties): the
    /// twin could never apply it, and would refuse every configuration targeting it with it.
    /// </summary>
    private static List<ContentPath> WithinLimits(List<ContentPath> paths, string field)
    {
        var plan = ContentPlan.Compute([], [], new Dictionary<string, string>(), [new ContentCandidate(string.Empty, 0, default, paths)]);
        if (plan.TagsPatch is { } tags && Twins.TwinRules.Size(tags) > Twins.TwinRules.TagsMaxBytes)
        {
            throw Invalid($"{field}: its tags come to {Twins.TwinRules.Size(tags)} bytes, over a twin's {Twins.TwinRules.TagsMaxBytes}.");
        }

        if (plan.DesiredPatch is { } desired && Twins.TwinRules.Size(desired) > Twins.TwinRules.PropertiesMaxBytes)
        {
            throw Invalid($"{field}: its desired properties come to {Twins.TwinRules.Size(desired)} bytes, over a twin's {Twins.TwinRules.PropertiesMaxBytes}.");
        }

        return paths;
    }

    private static JsonNode? Parse(string json, string field)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException)
        {
            throw Invalid($"{field} is not JSON.");
        }
    }

    private static bool IsLabel(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= 128 && !value.AsSpan().ContainsAnyExcept(s_labelAllowed);

    private static DeviceFabricException Invalid(string message) => new(DeviceFabricErrorCode.ArgumentInvalid, message);
}

/// <summary>A configuration's content as paths: <see cref="Twin"/> for device or module configurations, <see cref="ByModule"/> for a deployment.</summary>
internal sealed record CompiledContent(IReadOnlyList<ContentPath> Twin, IReadOnlyDictionary<string, List<ContentPath>> ByModule);
