using System.Text.Json.Nodes;
using DeviceFabric.Json;

namespace DeviceFabric.Provisioning;

/// <summary>The twin a provisioned device gets: its enrollment's initial twin, or what it had in the hub it leaves.</summary>
internal static class RegisteredTwin
{
    /// <summary>
    /// Tags and desired properties of a served twin, without the desired section's <c>$version</c> and
    /// <c>$metadata</c>, as a twin to replace another's with.
    /// </summary>
    public static string Migrated(string servedTwinJson)
    {
        var twin = StrictJson.ParseObject(servedTwinJson, "The twin");
        return new JsonObject
        {
            ["tags"] = twin["tags"]?.DeepClone() ?? new JsonObject(),
            ["properties"] = new JsonObject { ["desired"] = WithoutMetadata(twin["properties"]?["desired"] as JsonObject) ?? [] },
        }.ToJsonString();
    }

    /// <summary>A twin section without <c>$version</c> and <c>$metadata</c>, which the hub keeps for itself.</summary>
    public static JsonObject? WithoutMetadata(JsonObject? section)
    {
        if (section is null)
        {
            return null;
        }

        var copy = new JsonObject();
        foreach (var (name, value) in section)
        {
            if (!name.StartsWith('$'))
            {
                copy[name] = value?.DeepClone();
            }
        }

        return copy;
    }

    /// <summary>An initial twin (tags and desired only, already checked), completed with empty sections.</summary>
    public static string Initial(string? initialTwinJson)
    {
        var twin = initialTwinJson is null ? [] : StrictJson.ParseObject(initialTwinJson, "initialTwin");
        return new JsonObject
        {
            ["tags"] = twin["tags"]?.DeepClone() ?? new JsonObject(),
            ["properties"] = new JsonObject { ["desired"] = twin["properties"]?["desired"]?.DeepClone() ?? new JsonObject() },
        }.ToJsonString();
    }
}
