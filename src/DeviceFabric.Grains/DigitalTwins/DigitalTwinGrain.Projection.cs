using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace DeviceFabric.DigitalTwins;

/// <summary>The twin as others see it: its document (ADT's JSON), and its projection in its index shard.</summary>
internal sealed partial class DigitalTwinGrain
{
    /// <summary>
    /// Tells the index shard (a removal for a deleted twin). The twin's write is stored already, so a failure is logged,
    /// not reported: the next write or activation repairs it, and the shard keeps only the newest version it hears.
    /// </summary>
    private async Task ProjectAsync(CancellationToken cancellationToken)
    {
        try
        {
            var shard = GrainFactory.GetGrain<IDigitalTwinIndexGrain>(DigitalTwinIndex.Key(Hub, TwinId));
            if (!state.State.Exists)
            {
                await shard.RemoveAsync(TwinId, state.State.Version, cancellationToken);
                return;
            }

            await shard.UpsertAsync(TwinId, new DigitalTwinProjection(
                state.State.Version, state.State.ModelId, Document().ToJsonString(),
                [.. state.State.Relationships.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Value)],
                [.. state.State.Incoming.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Value)]), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogProjectionLost(logger, ex, Hub, TwinId);
        }
    }

    private JsonObject Document()
    {
        var document = new JsonObject { ["$dtId"] = TwinId, ["$etag"] = state.State.ETag };
        foreach (var (name, value) in JsonNode.Parse(state.State.Contents)!.AsObject().Where(p => !p.Key.StartsWith('$')))
        {
            document[name] = value?.DeepClone();
        }

        var metadata = new JsonObject { ["$model"] = state.State.ModelId };
        foreach (var (name, value) in JsonNode.Parse(state.State.Metadata)!.AsObject())
        {
            metadata[name] = value?.DeepClone();
        }

        document["$metadata"] = metadata;
        return document;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Digital twin {Hub}/{TwinId}: the index shard did not hear its change; the next write or activation repairs it")]
    private static partial void LogProjectionLost(ILogger logger, Exception exception, string hub, string twinId);
}
