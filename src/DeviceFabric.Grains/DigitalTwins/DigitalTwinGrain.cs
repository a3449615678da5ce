using System.Text.Json;
using System.Text.Json.Nodes;
using DeviceFabric.Persistence;

namespace DeviceFabric.DigitalTwins;

/// <summary>
/// One digital twin: every write is validated whole against the twin's model (<see cref="DtdlValidator"/>), stored,
/// then told to its index shard. Relationships in <c>DigitalTwinGrain.Relationships.cs</c>.
/// </summary>
internal sealed partial class DigitalTwinGrain(
    [PersistentState("digitaltwin", GrainStorage.Name)] IPersistentState<DigitalTwinState> state,
    Hosting.GrainClock clock,
    DigitalTwinModelCache models) : Grain, IDigitalTwinGrain, IDigitalTwinLinkGrain
{
    private const int MaxBodyBytes = 32 * 1024;

    private string Hub => DigitalTwinKeys.Parse(this.GetPrimaryKeyString()).Hub;

    private string TwinId => DigitalTwinKeys.Parse(this.GetPrimaryKeyString()).TwinId;

    public Task<string> GetAsync(CancellationToken cancellationToken = default)
    {
        RequireExists();
        return Task.FromResult(Document().ToJsonString());
    }

    public async Task<string> PutAsync(string twinJson, bool ifNoneMatchAny, string? ifMatch, CancellationToken cancellationToken = default)
    {
        if (ifNoneMatchAny && state.State.Exists)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.PreconditionFailed, $"Twin {TwinId} exists, and If-None-Match: * asks for a new one.");
        }

        CheckETag(ifMatch);
        var body = ParseObject(twinJson, "The twin");
        var given = body["$metadata"] as JsonObject;
        var modelId = (given?["$model"] as JsonValue)?.TryGetValue<string>(out var model) == true ? model
            : throw new DeviceFabricException(DeviceFabricErrorCode.ValidationFailed, "$metadata.$model is required: the twin's model.");
        var contents = new JsonObject();
        foreach (var (name, value) in body)
        {
            if (!name.StartsWith('$'))
            {
                contents[name] = value?.DeepClone();
            }
        }

        await WriteAsync(modelId, contents, given, newModel: modelId != state.State.ModelId || !state.State.Exists, cancellationToken);
        return Document().ToJsonString();
    }

    public async Task<string> PatchAsync(string jsonPatch, string? ifMatch, string? componentName, CancellationToken cancellationToken = default)
    {
        RequireExists();
        CheckETag(ifMatch);
        var operations = JsonPatch.Parse(jsonPatch);
        var view = JsonNode.Parse(state.State.Contents)!.AsObject();
        var metadata = JsonNode.Parse(state.State.Metadata)!.AsObject();
        metadata["$model"] = state.State.ModelId;
        if (componentName is not null)
        {
            var component = view[componentName] as JsonObject
                ?? throw new DeviceFabricException(DeviceFabricErrorCode.ComponentNotFound, $"Twin {TwinId} has no component {componentName}.");
            JsonPatch.Apply(component, operations);
        }
        else
        {
            view["$metadata"] = metadata;
            JsonPatch.Apply(view, operations);
            view.Remove("$metadata", out var patched);
            metadata = patched as JsonObject ?? throw new DeviceFabricException(DeviceFabricErrorCode.JsonPatchInvalid, "JSON Patch: $metadata cannot be removed.");
        }

        var modelId = (metadata["$model"] as JsonValue)?.TryGetValue<string>(out var model) == true ? model
            : throw new DeviceFabricException(DeviceFabricErrorCode.ValidationFailed, "$metadata.$model must stay the twin's model id.");
        await WriteAsync(modelId, view, metadata, newModel: modelId != state.State.ModelId, cancellationToken);
        return state.State.ETag;
    }

    public async Task DeleteAsync(string? ifMatch, CancellationToken cancellationToken = default)
    {
        RequireExists();
        CheckETag(ifMatch);
        await ForgetStaleIncomingAsync(cancellationToken);
        if (state.State.Relationships.Count > 0 || state.State.Incoming.Count > 0)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.RelationshipsNotDeleted,
                $"Twin {TwinId} has {state.State.Relationships.Count} relationships and {state.State.Incoming.Count} incoming ones: delete them first.");
        }

        state.State = new DigitalTwinState { Version = state.State.Version + 1 };
        await state.WriteStateAsync(cancellationToken);
        await GrainFactory.GetGrain<IDigitalTwinIndexGrain>(DigitalTwinIndex.Key(Hub, TwinId)).RemoveAsync(TwinId, cancellationToken);
    }

    public Task<string> GetComponentAsync(string componentName, CancellationToken cancellationToken = default)
    {
        RequireExists();
        return JsonNode.Parse(state.State.Contents)![componentName] is JsonObject component
            ? Task.FromResult(component.ToJsonString())
            : throw new DeviceFabricException(DeviceFabricErrorCode.ComponentNotFound, $"Twin {TwinId} has no component {componentName}.");
    }

    /// <summary>Validates the new contents against the model, keeps metadata in step, stores, and tells the index.</summary>
    private async Task WriteAsync(string modelId, JsonObject contents, JsonObject? given, bool newModel, CancellationToken cancellationToken)
    {
        var catalog = await models.GetAsync(GrainFactory, Hub, modelId, current: newModel);
        if (!catalog.Models.TryGetValue(modelId, out var model))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ModelNotFound, $"Model {modelId} not found.");
        }

        if (newModel && catalog.Decommissioned.Contains(modelId))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ModelDecommissioned, $"Model {modelId} is decommissioned: no new twin may use it.");
        }

        if (DtdlValidator.CheckTwin(model, contents, id => catalog.Models[id], requireComponents: true) is { } problem)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ValidationFailed, problem);
        }

        if (newModel && state.State.Relationships.Values.FirstOrDefault(r => !model.Relationships.ContainsKey(r.Name)) is { } orphan)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ValidationFailed, $"Model {modelId} has no relationship {orphan.Name}, which the twin has.");
        }

        if (JsonSerializer.SerializeToUtf8Bytes(contents).Length > MaxBodyBytes)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ValidationFailed, $"A twin holds at most {MaxBodyBytes} bytes.");
        }

        var now = clock.Time.GetUtcNow();
        var before = state.State.Exists ? JsonNode.Parse(state.State.Contents)!.AsObject() : null;
        var metadata = DigitalTwinMetadata.Next(before, before is null ? null : JsonNode.Parse(state.State.Metadata)!.AsObject(), contents, given, now, model.Components.Keys.ToHashSet(StringComparer.Ordinal));
        var previous = state.State;
        state.State = new DigitalTwinState
        {
            Exists = true,
            ModelId = modelId,
            Contents = contents.ToJsonString(),
            Metadata = metadata.ToJsonString(),
            ETag = NewETag(),
            Version = previous.Version + 1,
            Relationships = previous.Relationships,
            Incoming = previous.Incoming,
        };
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch
        {
            state.State = previous;
            throw;
        }

        await ProjectAsync(cancellationToken);
    }

    private Task ProjectAsync(CancellationToken cancellationToken) =>
        GrainFactory.GetGrain<IDigitalTwinIndexGrain>(DigitalTwinIndex.Key(Hub, TwinId))
            .UpsertAsync(TwinId, new DigitalTwinProjection(
                state.State.Version, state.State.ModelId, Document().ToJsonString(), [.. state.State.Relationships.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Value)]), cancellationToken);

    private JsonObject Document()
    {
        var document = new JsonObject { ["$dtId"] = TwinId, ["$etag"] = state.State.ETag };
        foreach (var (name, value) in JsonNode.Parse(state.State.Contents)!.AsObject())
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

    private void RequireExists()
    {
        if (!state.State.Exists)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.DigitalTwinNotFound, $"There is no digital twin with id {TwinId}.");
        }
    }

    private void CheckETag(string? ifMatch)
    {
        if (!string.IsNullOrEmpty(ifMatch) && ifMatch != "*" && (!state.State.Exists || ifMatch != state.State.ETag))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.PreconditionFailed, $"If-Match {ifMatch} is not the etag of twin {TwinId}.");
        }
    }

    private static string NewETag() => $"W/\"{Guid.NewGuid()}\"";

    private static JsonObject ParseObject(string json, string what)
    {
        if (json.Length > MaxBodyBytes * 2)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ValidationFailed, $"{what} is over {MaxBodyBytes} bytes.");
        }

        try
        {
            return JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 32 }) as JsonObject
                ?? throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"{what} is a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"{what} is not JSON: {ex.Message}");
        }
    }
}
