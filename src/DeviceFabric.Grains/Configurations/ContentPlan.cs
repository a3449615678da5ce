using System.Text.Json.Nodes;

namespace DeviceFabric.Configurations;

/// <summary>A configuration that targets a twin, with the paths it offers it.</summary>
internal sealed record ContentCandidate(string Id, int Priority, DateTimeOffset CreatedTime, IReadOnlyList<ContentPath> Paths);

/// <summary>
/// What a twin must change so that its configured paths hold what the configurations targeting it say, IoT Hub's way:
/// per path the highest priority wins (ties to the newest), a path no configuration offers any more is removed, and each
/// targeting configuration is <c>Applied</c> when it won a path, else <c>Targeted</c>. Pure: the twin grain applies it.
/// </summary>
/// <param name="TagsPatch">A merge patch for the tags, or null when nothing changes.</param>
/// <param name="DesiredPatch">A merge patch for the desired properties, or null when nothing changes.</param>
/// <param name="Owners">Each configured path's winning configuration.</param>
/// <param name="Statuses">Each targeting configuration's status.</param>
internal sealed record ContentPlan(JsonObject? TagsPatch, JsonObject? DesiredPatch, Dictionary<string, string> Owners, Dictionary<string, string> Statuses)
{
    public const string Applied = "Applied";
    public const string Targeted = "Targeted";

    public static ContentPlan Compute(JsonObject tags, JsonObject desired, IReadOnlyDictionary<string, string> owners, IEnumerable<ContentCandidate> candidates)
    {
        var ordered = candidates.OrderBy(c => c.Priority).ThenBy(c => c.CreatedTime).ThenBy(c => c.Id, StringComparer.Ordinal).ToList();
        var targetTags = tags.DeepClone().AsObject();
        var targetDesired = desired.DeepClone().AsObject();
        var offered = ordered.SelectMany(c => c.Paths).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);

        // Removed first, deepest last so a removed parent is not re-created by a child that is removed too.
        foreach (var key in owners.Keys.Where(k => !offered.Contains(k)).OrderBy(k => k.Length))
        {
            if (ContentPath.Parse(key, null, allowTags: true) is { } stale)
            {
                Remove(stale.Tags ? targetTags : targetDesired, stale.Segments);
            }
        }

        var winners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var candidate in ordered)
        {
            foreach (var path in candidate.Paths)
            {
                Set(path.Tags ? targetTags : targetDesired, path.Segments, path.Value);
                winners[path.Key] = candidate.Id;
            }
        }

        // A path counts as won only if no later (higher) configuration wrote it or a path above it: a base deployment's
        // whole section under a layer's module path is still applied; a module path under a higher base's section is not.
        var won = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ordered.Count; i++)
        {
            var later = ordered.Skip(i + 1).SelectMany(c => c.Paths).ToList();
            if (ordered[i].Paths.Any(p => !later.Any(q => Covers(q, p))))
            {
                won.Add(ordered[i].Id);
            }
        }

        var statuses = ordered.ToDictionary(c => c.Id, c => won.Contains(c.Id) || c.Paths.Count == 0 ? Applied : Targeted, StringComparer.Ordinal);
        var tagsPatch = Diff(tags, targetTags);
        var desiredPatch = Diff(desired, targetDesired);
        return new ContentPlan(tagsPatch.Count > 0 ? tagsPatch : null, desiredPatch.Count > 0 ? desiredPatch : null, winners, statuses);
    }

    /// <summary>Whether writing <paramref name="above"/> replaces what <paramref name="path"/> wrote: the same path or one above it.</summary>
    private static bool Covers(ContentPath above, ContentPath path) =>
        above.Tags == path.Tags && above.Segments.Count <= path.Segments.Count
        && above.Segments.Select((s, i) => s == path.Segments[i]).All(same => same);

    /// <summary>A JSON merge patch that turns <paramref name="before"/> into <paramref name="after"/> (null removes).</summary>
    public static JsonObject Diff(JsonObject before, JsonObject after)
    {
        var patch = new JsonObject();
        foreach (var (key, value) in after)
        {
            if (!before.TryGetPropertyValue(key, out var old) || old is null)
            {
                if (value is not null)
                {
                    patch[key] = value.DeepClone();
                }
            }
            else if (old is JsonObject oldObject && value is JsonObject newObject)
            {
                var inner = Diff(oldObject, newObject);
                if (inner.Count > 0)
                {
                    patch[key] = inner;
                }
            }
            else if (!JsonNode.DeepEquals(old, value))
            {
                patch[key] = value?.DeepClone();
            }
        }

        foreach (var (key, _) in before)
        {
            if (!after.ContainsKey(key))
            {
                patch[key] = null;
            }
        }

        return patch;
    }

    private static void Set(JsonObject section, IReadOnlyList<string> segments, JsonNode? value)
    {
        if (segments.Count == 0)
        {
            section.Clear();
            foreach (var (key, child) in value as JsonObject ?? [])
            {
                section[key] = child?.DeepClone();
            }

            return;
        }

        var parent = section;
        foreach (var segment in segments.Take(segments.Count - 1))
        {
            if (parent[segment] is not JsonObject child)
            {
                child = [];
                parent[segment] = child;
            }

            parent = child;
        }

        if (value is null)
        {
            parent.Remove(segments[^1]);
        }
        else
        {
            parent[segments[^1]] = value.DeepClone();
        }
    }

    private static void Remove(JsonObject section, IReadOnlyList<string> segments)
    {
        if (segments.Count == 0)
        {
            section.Clear();
            return;
        }

        var parent = section;
        foreach (var segment in segments.Take(segments.Count - 1))
        {
            if (parent[segment] is not JsonObject child)
            {
                return;
            }

            parent = child;
        }

        parent.Remove(segments[^1]);
    }
}
