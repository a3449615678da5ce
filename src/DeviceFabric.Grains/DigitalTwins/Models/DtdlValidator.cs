using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DeviceFabric.DigitalTwins;

/// <summary>
/// Checks twin documents, relationship bodies and single values against compiled DTDL; every check returns null when
/// valid, else the first problem prefixed with its JSON pointer.
/// </summary>
internal static class DtdlValidator
{
    /// <summary>Checks <paramref name="value"/> against <paramref name="schema"/>; null is always accepted (not set).</summary>
    public static string? Check(DtdlSchema schema, JsonNode? value, string path)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (value is null)
        {
            return null;
        }

        return schema switch
        {
            DtdlPrimitive primitive => DtdlValueChecks.Check(primitive.Kind, value, path),
            DtdlObject obj => CheckObject(obj, value, path),
            DtdlMap map => CheckMap(map, value, path),
            DtdlEnum enumeration => CheckEnum(enumeration, value, path),
            DtdlArray array => CheckArray(array, value, path),
            _ => $"{path}: unsupported schema",
        };
    }

    /// <summary>
    /// Checks a whole twin (its <c>$dtId</c>, <c>$etag</c> and <c>$metadata</c> skipped at every level): every member a
    /// property or component of <paramref name="model"/>, and with <paramref name="requireComponents"/> every component present.
    /// </summary>
    public static string? CheckTwin(DtdlInterface model, JsonObject twin, Func<string, DtdlInterface> resolve, bool requireComponents)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(twin);
        ArgumentNullException.ThrowIfNull(resolve);
        return CheckMembers(model, twin, "", resolve, requireComponents, new HashSet<string>(StringComparer.Ordinal));
    }

    /// <summary>Checks a relationship body's properties; <c>$</c>-prefixed members ($relationshipId...) are skipped.</summary>
    public static string? CheckRelationshipProperties(DtdlRelationship relationship, JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(relationship);
        ArgumentNullException.ThrowIfNull(body);
        foreach (var (key, value) in body)
        {
            if (key.StartsWith('$'))
            {
                continue;
            }

            var path = Pointer("", key);
            if (!relationship.Properties.TryGetValue(key, out var property))
            {
                return $"{path}: '{key}' is not a property of relationship '{relationship.Name}'";
            }

            if (Check(property.Schema, value, path) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    /// <summary>A JSON pointer one member deeper, escaped as RFC 6901 says.</summary>
    internal static string Pointer(string path, string key) => $"{path}/{key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}";

    private static bool IsSystemMember(string key) => key is "$dtId" or "$etag" or "$metadata";

    private static string? CheckMembers(
        DtdlInterface model, JsonObject twin, string path, Func<string, DtdlInterface> resolve, bool requireComponents, HashSet<string> visiting)
    {
        // ADT forbids nested components, but a model that slipped through must not recurse forever.
        if (!visiting.Add(model.Id))
        {
            return $"{path}: model {model.Id} contains itself as a component";
        }

        foreach (var (key, value) in twin)
        {
            if (IsSystemMember(key))
            {
                continue;
            }

            var memberPath = Pointer(path, key);
            if (model.Properties.TryGetValue(key, out var property))
            {
                if (Check(property.Schema, value, memberPath) is { } problem)
                {
                    return problem;
                }
            }
            else if (model.Components.TryGetValue(key, out var componentId))
            {
                if (value is not JsonObject component)
                {
                    return $"{memberPath}: component '{key}' must be an object";
                }

                if (CheckMembers(resolve(componentId), component, memberPath, resolve, requireComponents, visiting) is { } problem)
                {
                    return problem;
                }
            }
            else
            {
                return $"{memberPath}: {Unknown(model, key)}";
            }
        }

        if (requireComponents && model.Components.Keys.FirstOrDefault(name => twin[name] is null) is { } missing)
        {
            return $"{Pointer(path, missing)}: component '{missing}' of {model.Id} is required";
        }

        visiting.Remove(model.Id);
        return null;
    }

    private static string Unknown(DtdlInterface model, string key)
    {
        var kind = model.Telemetry.ContainsKey(key) ? "a telemetry"
            : model.Commands.ContainsKey(key) ? "a command"
            : model.Relationships.ContainsKey(key) ? "a relationship"
            : null;
        return kind is null
            ? $"'{key}' is not a property or component of {model.Id}"
            : $"'{key}' is {kind} of {model.Id}, not a property; a twin cannot set it";
    }

    private static string? CheckObject(DtdlObject schema, JsonNode value, string path)
    {
        if (value is not JsonObject obj)
        {
            return $"{path}: expected an object, got {DtdlValueChecks.Describe(value)}";
        }

        foreach (var (key, member) in obj)
        {
            if (IsSystemMember(key))
            {
                continue;
            }

            var memberPath = Pointer(path, key);
            var fieldSchema = FieldSchema(schema, key);
            if (fieldSchema is null)
            {
                return $"{memberPath}: '{key}' is not a field of the object";
            }

            if (Check(fieldSchema, member, memberPath) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static DtdlSchema? FieldSchema(DtdlObject schema, string name)
    {
        foreach (var field in schema.Fields)
        {
            if (field.Name == name)
            {
                return field.Schema;
            }
        }

        return null;
    }

    private static string? CheckMap(DtdlMap schema, JsonNode value, string path)
    {
        if (value is not JsonObject map)
        {
            return $"{path}: expected an object (a map), got {DtdlValueChecks.Describe(value)}";
        }

        foreach (var (key, member) in map)
        {
            if (Check(schema.Value, member, Pointer(path, key)) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? CheckEnum(DtdlEnum schema, JsonNode value, string path)
    {
        string? text = null;
        if (schema.ValueSchema == "string")
        {
            text = DtdlSyntax.AsString(value);
        }
        else if (value is JsonValue number && number.GetValueKind() == JsonValueKind.Number
            && decimal.TryParse(number.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var given)
            && given == decimal.Truncate(given) && given is >= int.MinValue and <= int.MaxValue)
        {
            text = ((int)given).ToString(CultureInfo.InvariantCulture);
        }

        var allowed = schema.Values.Select(v => schema.ValueSchema == "string" ? DtdlSyntax.AsString(v.Value) : v.Value.ToJsonString());
        if (text is not null && allowed.Contains(text, StringComparer.Ordinal))
        {
            return null;
        }

        return $"{path}: {value.ToJsonString()} is not one of the enum's values ({string.Join(", ", schema.Values.Select(v => v.Value.ToJsonString()))})";
    }

    private static string? CheckArray(DtdlArray schema, JsonNode value, string path)
    {
        if (value is not JsonArray array)
        {
            return $"{path}: expected an array, got {DtdlValueChecks.Describe(value)}";
        }

        for (var i = 0; i < array.Count; i++)
        {
            if (Check(schema.Element, array[i], $"{path}/{i}") is { } problem)
            {
                return problem;
            }
        }

        return null;
    }
}
