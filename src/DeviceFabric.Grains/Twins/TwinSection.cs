using System.Globalization;
using System.Text.Json.Nodes;

namespace DeviceFabric.Twins;

/// <summary>
/// One section of a twin (tags, desired or reported): its properties, their <c>$metadata</c> (when each leaf and object
/// last changed, and at which version) and the section's <c>$version</c>, which grows by one with every change.
/// Changes are tried on a copy and kept only if the result obeys <see cref="TwinRules"/>: a patch is applied whole or not at all.
/// </summary>
internal sealed class TwinSection
{
    private const string LastUpdated = "$lastUpdated";
    private const string LastUpdatedVersion = "$lastUpdatedVersion";

    private readonly string _name;
    private readonly int _limit;

    public TwinSection(string name, int limit, JsonObject properties, JsonObject metadata, long version)
    {
        _name = name;
        _limit = limit;
        Properties = properties;
        Metadata = metadata;
        Version = version;
    }

    public JsonObject Properties { get; private set; }

    public JsonObject Metadata { get; private set; }

    public long Version { get; private set; }

    /// <summary>Merges a patch (<c>null</c> removes a key) and returns the new version.</summary>
    public long Apply(JsonObject patch, DateTimeOffset now)
    {
        TwinRules.ValidatePatch(patch, _name);
        var properties = Properties.DeepClone().AsObject();
        var metadata = Metadata.DeepClone().AsObject();
        var version = Version + 1;
        Merge(properties, metadata, patch, Stamp(now), version);
        TwinRules.ValidateSize(properties, _limit, _name);
        Stamp(metadata, Stamp(now), version);
        (Properties, Metadata, Version) = (properties, metadata, version);
        return version;
    }

    /// <summary>Replaces every property and returns the new version.</summary>
    public long Replace(JsonObject replacement, DateTimeOffset now)
    {
        TwinRules.ValidatePatch(replacement, _name);
        var properties = Strip(replacement);
        TwinRules.ValidateSize(properties, _limit, _name);
        var version = Version + 1;
        var metadata = new JsonObject();
        Merge(new JsonObject(), metadata, properties.DeepClone().AsObject(), Stamp(now), version);
        Stamp(metadata, Stamp(now), version);
        (Properties, Metadata, Version) = (properties, metadata, version);
        return version;
    }

    /// <summary>The section as IoT Hub shows it: properties, then <c>$metadata</c> (optional) and <c>$version</c>.</summary>
    public JsonObject ToJson(bool withMetadata)
    {
        var json = Properties.DeepClone().AsObject();
        if (withMetadata)
        {
            json["$metadata"] = Metadata.DeepClone();
        }

        json["$version"] = Version;
        return json;
    }

    /// <summary>The top-level properties changed after <paramref name="sinceVersion"/>, with <c>null</c> for those removed since (beyond IoT Hub).</summary>
    public JsonObject ChangesSince(long sinceVersion, IReadOnlyDictionary<string, long> removedAt)
    {
        var changes = new JsonObject();
        foreach (var (key, value) in Properties)
        {
            if (Metadata[key] is JsonObject meta && meta[LastUpdatedVersion]?.GetValue<long>() > sinceVersion)
            {
                changes[key] = value?.DeepClone();
            }
        }

        foreach (var (key, version) in removedAt)
        {
            if (version > sinceVersion && !Properties.ContainsKey(key))
            {
                changes[key] = null;
            }
        }

        changes["$version"] = Version;
        return changes;
    }

    private static void Merge(JsonObject target, JsonObject metadata, JsonObject patch, string now, long version)
    {
        foreach (var (key, value) in patch)
        {
            if (value is null)
            {
                target.Remove(key);
                metadata.Remove(key);
                continue;
            }

            if (value is JsonObject patchObject)
            {
                if (target[key] is not JsonObject existing)
                {
                    existing = new JsonObject();
                    target[key] = existing;
                    metadata[key] = new JsonObject();
                }

                if (metadata[key] is not JsonObject childMetadata)
                {
                    childMetadata = new JsonObject();
                    metadata[key] = childMetadata;
                }

                Merge(existing, childMetadata, patchObject, now, version);
                Stamp(childMetadata, now, version);
                continue;
            }

            target[key] = value.DeepClone();
            metadata[key] = new JsonObject { [LastUpdated] = now, [LastUpdatedVersion] = version };
        }
    }

    private static void Stamp(JsonObject metadata, string now, long version)
    {
        metadata[LastUpdated] = now;
        metadata[LastUpdatedVersion] = version;
    }

    /// <summary>Removes <c>null</c> values (a replacement cannot hold them) from a copy.</summary>
    private static JsonObject Strip(JsonObject source)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in source)
        {
            if (value is not null)
            {
                copy[key] = value is JsonObject o ? Strip(o) : value.DeepClone();
            }
        }

        return copy;
    }

    private static string Stamp(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);
}
