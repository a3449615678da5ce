using System.Text.Json.Nodes;

namespace DeviceFabric.DigitalTwins;

/// <summary>
/// Relationships: a twin holds its outgoing ones and knows the incoming ones. A new relationship is checked against the
/// source's model (name, properties, <c>maxMultiplicity</c>) and the target's (the relationship's <c>target</c>, with
/// inheritance); the target records it first, so a twin never lacks a relationship that points at it. An incoming
/// record whose source no longer has it (a crash between the two writes) is dropped when it would block a delete.
/// </summary>
internal sealed partial class DigitalTwinGrain
{
    /// <summary>Azure Digital Twins' limit of outgoing relationships per twin (and of incoming ones).</summary>
    private const int MaxRelationships = 50_000;

    public Task<string> GetRelationshipAsync(string relationshipId, CancellationToken cancellationToken = default)
    {
        RequireExists();
        return Task.FromResult(Relationship(relationshipId).Json);
    }

    public async Task<string> PutRelationshipAsync(string relationshipId, string relationshipJson, bool ifNoneMatchAny, CancellationToken cancellationToken = default)
    {
        RequireExists();
        if (!DigitalTwinKeys.IsValidId(relationshipId))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"A relationship id is 1-{DigitalTwinKeys.MaxIdLength} characters without a slash.");
        }

        state.State.Relationships.TryGetValue(relationshipId, out var existing);
        if (existing is not null && ifNoneMatchAny)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.PreconditionFailed, $"Relationship {relationshipId} of twin {TwinId} exists, and If-None-Match: * asks for a new one.");
        }

        var body = ParseObject(relationshipJson, "The relationship");
        var targetId = Text(body["$targetId"]) ?? throw Invalid("$targetId is required.");
        var name = Text(body["$relationshipName"]) ?? throw Invalid("$relationshipName is required.");
        if (Text(body["$sourceId"]) is { } source && source != TwinId)
        {
            throw Invalid($"$sourceId is {source}, but the relationship is put on twin {TwinId}.");
        }

        if (targetId == TwinId)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.OperationNotAllowed, "A twin cannot be related to itself.");
        }

        var catalog = await models.GetAsync(GrainFactory, Hub, state.State.ModelId);
        if (!catalog.Models.TryGetValue(state.State.ModelId, out var model))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ModelNotFound, $"Model {state.State.ModelId} of twin {TwinId} no longer exists.");
        }
        if (!model.Relationships.TryGetValue(name, out var relationship))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.InvalidRelationship, $"Model {model.Id} has no relationship {name}.");
        }

        if (existing is null && state.State.Relationships.Count >= MaxRelationships)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ValidationFailed, $"A twin has at most {MaxRelationships} relationships.");
        }

        if (relationship.MaxMultiplicity is { } max && state.State.Relationships.Count(r => r.Key != relationshipId && r.Value.Name == name) >= max)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ValidationFailed, $"Relationship {name} allows at most {max} per twin.");
        }

        if (DtdlValidator.CheckRelationshipProperties(relationship, body) is { } problem)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ValidationFailed, problem);
        }

        var target = GrainFactory.GetGrain<IDigitalTwinLinkGrain>(DigitalTwinKeys.Key(Hub, targetId));
        string targetModel;
        try
        {
            targetModel = await target.GetModelIdAsync(cancellationToken);
        }
        catch (DeviceFabricException ex) when (ex.Code == DeviceFabricErrorCode.DigitalTwinNotFound)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.TargetTwinNotFound, $"The target twin {targetId} does not exist.");
        }

        if (relationship.Target is { } wanted && !(await models.GetAsync(GrainFactory, Hub, targetModel)).IsOf(targetModel, wanted))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.InvalidRelationship, $"Relationship {name} targets {wanted}; twin {targetId} is a {targetModel}.");
        }

        await target.AttachIncomingAsync(TwinId, relationshipId, name, cancellationToken);
        var stored = new JsonObject
        {
            ["$relationshipId"] = relationshipId,
            ["$sourceId"] = TwinId,
            ["$targetId"] = targetId,
            ["$relationshipName"] = name,
            ["$etag"] = NewETag(),
        };
        foreach (var (key, value) in body.Where(p => !p.Key.StartsWith('$')))
        {
            stored[key] = value?.DeepClone();
        }

        await SaveRelationshipsAsync(r => r[relationshipId] = new StoredRelationship(name, targetId, stored.ToJsonString(), stored["$etag"]!.GetValue<string>()), cancellationToken);
        instruments.Written("relationship", stored: true);
        await AnnounceAsync(DigitalTwinEvent.RelationshipCreate, $"{TwinId}/relationships/{relationshipId}", stored);
        if (existing is not null && existing.TargetId != targetId)
        {
            await GrainFactory.GetGrain<IDigitalTwinLinkGrain>(DigitalTwinKeys.Key(Hub, existing.TargetId)).DetachIncomingAsync(TwinId, relationshipId, cancellationToken);
        }

        return stored.ToJsonString();
    }

    public async Task<string> PatchRelationshipAsync(string relationshipId, string jsonPatch, string? ifMatch, CancellationToken cancellationToken = default)
    {
        RequireExists();
        var existing = Relationship(relationshipId);
        if (!string.IsNullOrEmpty(ifMatch) && ifMatch != "*" && ifMatch != existing.ETag)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.PreconditionFailed, $"If-Match {ifMatch} is not the etag of relationship {relationshipId}.");
        }

        var operations = JsonPatch.Parse(jsonPatch);
        if (operations.FirstOrDefault(o => o.Path.Count > 0 && o.Path[0].StartsWith('$')) is { } fixedMember)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.JsonPatchInvalid, $"JSON Patch: {fixedMember.Path[0]} of a relationship cannot change.");
        }

        var patched = JsonNode.Parse(existing.Json)!.AsObject();
        JsonPatch.Apply(patched, operations);
        var catalog = await models.GetAsync(GrainFactory, Hub, state.State.ModelId);
        if (!catalog.Models.TryGetValue(state.State.ModelId, out var model) || !model.Relationships.TryGetValue(existing.Name, out var relationship))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.InvalidRelationship, $"The model of twin {TwinId} has no relationship {existing.Name} any more.");
        }

        if (DtdlValidator.CheckRelationshipProperties(relationship, patched) is { } problem)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ValidationFailed, problem);
        }

        var etag = NewETag();
        patched["$etag"] = etag;
        await SaveRelationshipsAsync(r => r[relationshipId] = existing with { Json = patched.ToJsonString(), ETag = etag }, cancellationToken);
        await AnnounceAsync(DigitalTwinEvent.RelationshipUpdate, $"{TwinId}/relationships/{relationshipId}", JsonNode.Parse(jsonPatch)!);
        return etag;
    }

    public async Task DeleteRelationshipAsync(string relationshipId, string? ifMatch, CancellationToken cancellationToken = default)
    {
        RequireExists();
        var relationship = Relationship(relationshipId);
        if (!string.IsNullOrEmpty(ifMatch) && ifMatch != "*" && ifMatch != relationship.ETag)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.PreconditionFailed, $"If-Match {ifMatch} is not the etag of relationship {relationshipId}.");
        }

        await SaveRelationshipsAsync(r => r.Remove(relationshipId), cancellationToken);
        await AnnounceAsync(DigitalTwinEvent.RelationshipDelete, $"{TwinId}/relationships/{relationshipId}", JsonNode.Parse(relationship.Json)!);
        await GrainFactory.GetGrain<IDigitalTwinLinkGrain>(DigitalTwinKeys.Key(Hub, relationship.TargetId)).DetachIncomingAsync(TwinId, relationshipId, cancellationToken);
    }

    public Task<IReadOnlyList<string>> ListRelationshipsAsync(string? relationshipName, CancellationToken cancellationToken = default)
    {
        RequireExists();
        return Task.FromResult<IReadOnlyList<string>>([.. state.State.Relationships.Where(r => relationshipName is null || r.Value.Name == relationshipName)
            .OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Value.Json)]);
    }

    private async Task SaveRelationshipsAsync(Action<Dictionary<string, StoredRelationship>> change, CancellationToken cancellationToken)
    {
        var previous = state.State.Relationships;
        var next = new Dictionary<string, StoredRelationship>(previous, StringComparer.Ordinal);
        change(next);
        state.State.Relationships = next;
        state.State.Version++;
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch
        {
            state.State.Relationships = previous;
            state.State.Version--;
            throw;
        }

        Stored();
        await ProjectAsync(cancellationToken);
    }

    private StoredRelationship Relationship(string relationshipId) =>
        state.State.Relationships.TryGetValue(relationshipId, out var relationship)
            ? relationship
            : throw new DeviceFabricException(DeviceFabricErrorCode.RelationshipNotFound, $"Twin {TwinId} has no relationship {relationshipId}.");

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static DeviceFabricException Invalid(string message) => new(DeviceFabricErrorCode.ArgumentInvalid, message);
}
