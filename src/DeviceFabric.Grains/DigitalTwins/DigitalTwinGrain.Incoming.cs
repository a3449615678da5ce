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
/// The relationships that point at a twin: recorded by the target before its source stores one, listed, and dropped
/// when their source no longer has them. The calls other twins make interleave and answer from what is stored.
/// </summary>
internal sealed partial class DigitalTwinGrain
{
    public Task<string> GetModelIdAsync(CancellationToken cancellationToken = default) =>
        _stored is { Exists: true } stored
            ? Task.FromResult(stored.ModelId)
            : throw new DeviceFabricException(DeviceFabricErrorCode.DigitalTwinNotFound, $"There is no digital twin with id {TwinId}.");

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
}
