using System.Text.Json.Nodes;

namespace DeviceFabric.DigitalTwins;

/// <summary>How twins tell each other of the relationships between them.</summary>
[Alias("devicefabric.IDigitalTwinLinkGrain")]
internal interface IDigitalTwinLinkGrain : IGrainWithStringKey
{
    /// <summary>The twin's model as stored; fails with <see cref="DeviceFabricErrorCode.DigitalTwinNotFound"/>. Interleaves (see <see cref="HasRelationshipAsync"/>).</summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<string> GetModelIdAsync(CancellationToken cancellationToken = default);

    /// <summary>Records a relationship pointing at this twin; returns once stored.</summary>
    Task AttachIncomingAsync(string sourceId, string relationshipId, string name, CancellationToken cancellationToken = default);

    /// <summary>Forgets a relationship that pointed at this twin.</summary>
    Task DetachIncomingAsync(string sourceId, string relationshipId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether this twin has the relationship, to that target, as stored. Interleaves: a twin being deleted asks its
    /// sources while one of them may be waiting on it to attach a relationship, and neither must wait for the other.
    /// </summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<bool> HasRelationshipAsync(string relationshipId, string targetId, CancellationToken cancellationToken = default);
}

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
    public Task<string> GetModelIdAsync(CancellationToken cancellationToken = default) =>
        _stored is { Exists: true } stored
            ? Task.FromResult(stored.ModelId)
            : throw new DeviceFabricException(DeviceFabricErrorCode.DigitalTwinNotFound, $"There is no digital twin with id {TwinId}.");

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

    public Task<IReadOnlyList<string>> ListIncomingRelationshipsAsync(CancellationToken cancellationToken = default)
    {
        RequireExists();
        return Task.FromResult<IReadOnlyList<string>>([.. state.State.Incoming.Values.OrderBy(i => i.SourceId, StringComparer.Ordinal).ThenBy(i => i.RelationshipId, StringComparer.Ordinal)
            .Select(i => new JsonObject
            {
                ["$relationshipId"] = i.RelationshipId,
                ["$sourceId"] = i.SourceId,
                ["$relationshipName"] = i.Name,
                ["$relationshipLink"] = $"/digitaltwins/{Uri.EscapeDataString(i.SourceId)}/relationships/{Uri.EscapeDataString(i.RelationshipId)}",
            }.ToJsonString())]);
    }

    public async Task AttachIncomingAsync(string sourceId, string relationshipId, string name, CancellationToken cancellationToken = default)
    {
        RequireExists();
        var key = $"{sourceId}/{relationshipId}";
        if (state.State.Incoming.TryGetValue(key, out var held) && held.Name == name)
        {
            return;
        }

        if (state.State.Incoming.Count >= MaxRelationships)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ValidationFailed, $"Twin {TwinId} has {MaxRelationships} incoming relationships, the most a twin has.");
        }

        await SaveIncomingAsync(incoming => incoming[key] = new IncomingRelationship(sourceId, relationshipId, name), cancellationToken);
    }

    public async Task DetachIncomingAsync(string sourceId, string relationshipId, CancellationToken cancellationToken = default)
    {
        if (state.State.Incoming.ContainsKey($"{sourceId}/{relationshipId}"))
        {
            await SaveIncomingAsync(incoming => incoming.Remove($"{sourceId}/{relationshipId}"), cancellationToken);
        }
    }

    public Task<bool> HasRelationshipAsync(string relationshipId, string targetId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_stored is { Exists: true } stored && stored.Relationships.TryGetValue(relationshipId, out var r) && r.TargetId == targetId);

    /// <summary>Drops incoming records whose source no longer has the relationship (asked of all sources at once).</summary>
    private async Task ForgetStaleIncomingAsync(CancellationToken cancellationToken)
    {
        var checks = await Task.WhenAll(state.State.Incoming.Select(async entry =>
        {
            var source = GrainFactory.GetGrain<IDigitalTwinLinkGrain>(DigitalTwinKeys.Key(Hub, entry.Value.SourceId));
            return (entry.Key, Held: await source.HasRelationshipAsync(entry.Value.RelationshipId, TwinId, cancellationToken));
        }));
        var stale = checks.Where(c => !c.Held).Select(c => c.Key).ToList();
        if (stale.Count > 0)
        {
            await SaveIncomingAsync(incoming => stale.ForEach(key => incoming.Remove(key)), cancellationToken);
        }
    }

    /// <summary>Changes the incoming records on a copy, so a failed write leaves memory as stored.</summary>
    private async Task SaveIncomingAsync(Action<Dictionary<string, IncomingRelationship>> change, CancellationToken cancellationToken)
    {
        var previous = state.State.Incoming;
        var next = new Dictionary<string, IncomingRelationship>(previous, StringComparer.Ordinal);
        change(next);
        state.State.Incoming = next;
        state.State.Version++;
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch
        {
            state.State.Incoming = previous;
            state.State.Version--;
            throw;
        }

        Stored();
        if (state.State.Exists)
        {
            // MATCH follows relationships backwards through the index too.
            await ProjectAsync(cancellationToken);
        }
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
