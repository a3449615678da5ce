using System.Text.Json;
using System.Text.Json.Nodes;
using DeviceFabric.Persistence;
using Microsoft.Extensions.Logging;

namespace DeviceFabric.DigitalTwins;

/// <summary>
/// One digital twin: every write is validated whole against the twin's model (<see cref="DtdlValidator"/>), stored,
/// then told to its index shard. Relationships in <c>DigitalTwinGrain.Relationships.cs</c>.
/// </summary>
internal sealed partial class DigitalTwinGrain(
    [PersistentState("digitaltwin", GrainStorage.Name)] IPersistentState<DigitalTwinState> state,
    Hosting.GrainClock clock,
    DigitalTwinModelCache models,
    DigitalTwinInstruments instruments,
    ILogger<DigitalTwinGrain> logger) : Grain, IDigitalTwinGrain, IDigitalTwinLinkGrain, IDigitalTwinDeviceGrain
{
    private const int MaxBodyBytes = 32 * 1024;

    /// <summary>What is stored, for the calls that interleave with a write in flight (they must not see it before it is).</summary>
    private sealed record StoredView(bool Exists, string ModelId, IReadOnlyDictionary<string, StoredRelationship> Relationships);

    private StoredView? _stored;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Stored();
        if (state.State.Exists || state.State.Version > 0)
        {
            // Repairs the index if an earlier process stopped between the twin's write (or delete) and the shard's.
            await ProjectAsync(cancellationToken);
        }
    }

    private void Stored() => _stored = new StoredView(state.State.Exists, state.State.ModelId, state.State.Relationships);

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

        await CountedAsync("put", () => WriteAsync(modelId, contents, given, newModel: modelId != state.State.ModelId || !state.State.Exists, cancellationToken));
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
            var component = await ComponentAsync(view, componentName);
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
        if (view.Select(p => p.Key).FirstOrDefault(k => k.StartsWith('$')) is { } system)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.JsonPatchInvalid, $"JSON Patch: {system} is the service's, not the twin's; only $metadata/$model and $metadata/<property>/sourceTime can be written.");
        }

        await CountedAsync("patch", () => WriteAsync(modelId, view, metadata, newModel: modelId != state.State.ModelId, cancellationToken));
        return state.State.ETag;
    }

    public async Task DeleteAsync(string? ifMatch, CancellationToken cancellationToken = default)
    {
        RequireExists();
        CheckETag(ifMatch);
        if (state.State.Relationships.Count == 0 && state.State.Incoming.Count > 0)
        {
            await ForgetStaleIncomingAsync(cancellationToken);
        }

        if (state.State.Relationships.Count > 0 || state.State.Incoming.Count > 0)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.RelationshipsNotDeleted,
                $"Twin {TwinId} has {state.State.Relationships.Count} relationships and {state.State.Incoming.Count} incoming ones: delete them first.");
        }

        var deleted = Document();
        var previous = state.State;
        state.State = new DigitalTwinState { Version = previous.Version + 1 };
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch
        {
            state.State = previous;
            throw;
        }

        Stored();
        await ProjectAsync(cancellationToken);
        await AnnounceAsync(DigitalTwinEvent.TwinDelete, TwinId, deleted);
    }

    public async Task<string> GetComponentAsync(string componentName, CancellationToken cancellationToken = default)
    {
        RequireExists();
        return (await ComponentAsync(JsonNode.Parse(state.State.Contents)!.AsObject(), componentName)).ToJsonString();
    }

    /// <summary>A component of the twin: a member its model names a component, not any object-valued property.</summary>
    private async Task<JsonObject> ComponentAsync(JsonObject contents, string componentName)
    {
        var catalog = await models.GetAsync(GrainFactory, Hub, state.State.ModelId);
        return catalog.Models.TryGetValue(state.State.ModelId, out var model) && model.Components.ContainsKey(componentName) && contents[componentName] is JsonObject component
            ? component
            : throw new DeviceFabricException(DeviceFabricErrorCode.ComponentNotFound, $"Twin {TwinId} has no component {componentName}.");
    }

    /// <summary>Counts a write as stored or refused (a refusal is the fabric's error; anything else is not counted here).</summary>
    private async Task CountedAsync(string kind, Func<Task> write)
    {
        try
        {
            await write();
            instruments.Written(kind, stored: true);
        }
        catch (DeviceFabricException)
        {
            instruments.Written(kind, stored: false);
            throw;
        }
    }

    /// <summary>Validates the new contents against the model, keeps metadata in step, stores, and tells the index.</summary>
    private async Task WriteAsync(string modelId, JsonObject contents, JsonObject? given, bool newModel, CancellationToken cancellationToken, string? device = null)
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

        if (model.Components.Values.FirstOrDefault(c => !catalog.Models.ContainsKey(c)) is { } lost)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ModelNotFound, $"Model {lost}, a component of {modelId}, no longer exists.");
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
            DeviceId = device ?? previous.DeviceId,
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

        Stored();
        await ProjectAsync(cancellationToken);
        await AnnounceWriteAsync(before);
    }

    private void RequireExists()
    {
        if (!state.State.Exists)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.DigitalTwinNotFound, $"There is no digital twin with id {TwinId}.");
        }
    }

    /// <summary>If-Match: <c>*</c> needs the twin to exist; an etag (weak or strong, one of a list) must be its current one.</summary>
    private void CheckETag(string? ifMatch)
    {
        static string Opaque(string tag) => tag.Trim().StartsWith("W/", StringComparison.Ordinal) ? tag.Trim()[2..] : tag.Trim();
        var matches = string.IsNullOrEmpty(ifMatch)
            || (state.State.Exists && (ifMatch.Trim() == "*" || ifMatch.Split(',').Any(tag => Opaque(tag) == Opaque(state.State.ETag))));
        if (!matches)
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
