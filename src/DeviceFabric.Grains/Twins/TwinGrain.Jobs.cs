using System.Text.Json.Nodes;

namespace DeviceFabric.Twins;

/// <summary>The job facet: job patches apply once per job and remember what they replaced, so a job can be rolled back.</summary>
internal sealed partial class TwinGrain
{
    public async Task<string> ApplyJobPatchAsync(string jobId, string patchJson, CancellationToken cancellationToken = default)
    {
        await EnsureDeviceGenerationAsync(cancellationToken);
        if (state.State.LastJobId == jobId && state.State.LastJobPrevious is { } earlier)
        {
            return earlier;
        }

        var patch = TwinJson.ParseObject(patchJson, "The job's twin patch");
        var (tags, desired) = ServiceSections(patch);
        var previous = new JsonObject();
        if (tags is not null)
        {
            previous["tags"] = Replaced(_tags.Properties, tags);
        }

        if (desired is not null)
        {
            previous["properties"] = new JsonObject { ["desired"] = Replaced(_desired.Properties, desired) };
        }

        var restore = previous.ToJsonString();
        var (lastJobId, lastJobPrevious) = (state.State.LastJobId, state.State.LastJobPrevious);
        state.State.LastJobId = jobId;
        state.State.LastJobPrevious = restore;
        try
        {
            await MergeAsync(patch, ifMatch: null, cancellationToken);
        }
        catch
        {
            (state.State.LastJobId, state.State.LastJobPrevious) = (lastJobId, lastJobPrevious);
            throw;
        }

        instruments.TwinWritten("job");
        return restore;
    }

    /// <summary>
    /// For each key the patch sets: the value it replaces, or null where there was none (null removes it again); into
    /// objects the patch merges into, recursively, so a rollback touches exactly what the patch touched.
    /// </summary>
    private static JsonObject Replaced(JsonObject current, JsonObject patch)
    {
        var replaced = new JsonObject();
        foreach (var (key, value) in patch)
        {
            current.TryGetPropertyValue(key, out var old);
            replaced[key] = value is JsonObject inner && old is JsonObject oldObject
                ? Replaced(oldObject, inner)
                : old?.DeepClone();
        }

        return replaced;
    }
}
