using System.Text.Json.Nodes;
using DeviceFabric.Streams;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace DeviceFabric.DigitalTwins;

/// <summary>
/// Events, after each stored change, in Azure Digital Twins' shapes: a create or delete carries the twin (or the
/// relationship), an update carries the model id and a JSON Patch from the old twin to the new. Best effort, like
/// every fabric event.
/// </summary>
internal sealed partial class DigitalTwinGrain
{
    private IAsyncStream<DigitalTwinEvent>? _events;

    private async Task AnnounceAsync(string type, string subject, JsonNode data)
    {
        try
        {
            _events ??= this.GetStreamProvider(FabricStreams.ProviderName).GetStream<DigitalTwinEvent>(StreamId.Create(FabricStreams.DigitalTwinsNamespace, Hub));
            await _events.OnNextAsync(new DigitalTwinEvent(Hub, type, subject, data.ToJsonString(), clock.Time.GetUtcNow()));
        }
        catch (Exception ex)
        {
            LogEventLost(logger, ex, Hub, TwinId);
        }
    }

    /// <summary>After a stored write of the twin: a create, or an update with the patch from <paramref name="before"/>.</summary>
    private Task AnnounceWriteAsync(JsonObject? before)
    {
        var after = JsonNode.Parse(state.State.Contents)!.AsObject();
        if (before is null)
        {
            return AnnounceAsync(DigitalTwinEvent.TwinCreate, TwinId, Document());
        }

        var patch = new JsonArray();
        foreach (var (name, value) in after.Where(p => !before.ContainsKey(p.Key) || !JsonNode.DeepEquals(before[p.Key], p.Value)))
        {
            patch.Add(new JsonObject { ["value"] = value?.DeepClone(), ["path"] = "/" + name, ["op"] = before.ContainsKey(name) ? "replace" : "add" });
        }

        foreach (var name in before.Select(p => p.Key).Where(name => !after.ContainsKey(name)))
        {
            patch.Add(new JsonObject { ["path"] = "/" + name, ["op"] = "remove" });
        }

        return patch.Count == 0 ? Task.CompletedTask : AnnounceAsync(DigitalTwinEvent.TwinUpdate, TwinId, new JsonObject { ["modelId"] = state.State.ModelId, ["patch"] = patch });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Digital twin {Hub}/{TwinId}: an event could not be published")]
    private static partial void LogEventLost(ILogger logger, Exception exception, string hub, string twinId);
}
