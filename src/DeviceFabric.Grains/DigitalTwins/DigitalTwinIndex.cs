using DeviceFabric.Persistence;
using Orleans.Concurrency;

namespace DeviceFabric.DigitalTwins;

/// <summary>
/// The digital twins of one hub that hash to one shard, as their grains last told it: model, properties and
/// relationships. It answers what needs every twin (which twins use a model; later, queries) without waking them. Key:
/// <c>{hub}/{shard}</c>. Reentrant: concurrent changes share one state write (<see cref="GroupCommit"/>).
/// </summary>
[Alias("devicefabric.IDigitalTwinIndexGrain")]
internal interface IDigitalTwinIndexGrain : IGrainWithStringKey
{
    /// <summary>Records a twin's projection unless a newer one is held; returns once stored.</summary>
    Task UpsertAsync(string twinId, DigitalTwinProjection projection, CancellationToken cancellationToken = default);

    /// <summary>Forgets a twin deleted at <paramref name="version"/> unless a newer projection is held; returns once stored.</summary>
    Task RemoveAsync(string twinId, long version, CancellationToken cancellationToken = default);

    /// <summary>How many of the shard's twins have the model.</summary>
    Task<long> CountOfModelAsync(string modelId, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> rows of a query without JOINs that the shard's twins give, in twin id order (for COUNT(), one row: the count).</summary>
    Task<IReadOnlyList<DigitalTwinRow>> QueryAsync(string query, int limit, CancellationToken cancellationToken = default);

    /// <summary>The shard's projections of the twins named (null where it has none).</summary>
    Task<IReadOnlyList<DigitalTwinProjection?>> GetManyAsync(IReadOnlyList<string> twinIds, CancellationToken cancellationToken = default);
}

/// <summary>What an index shard keeps of a twin: its version (so older news is ignored), model and document.</summary>
[GenerateSerializer, Immutable, Alias("devicefabric.DigitalTwinProjection")]
public sealed record DigitalTwinProjection(
    [property: Id(0)] long Version,
    [property: Id(1)] string ModelId,
    [property: Id(2)] string Json,
    [property: Id(3)] IReadOnlyList<StoredRelationship>? Relationships = null,
    [property: Id(4)] IReadOnlyList<IncomingRelationship>? Incoming = null);

/// <summary>A query row and the twin it came from (for merging shards' rows in id order).</summary>
[GenerateSerializer, Immutable, Alias("devicefabric.DigitalTwinRow")]
public sealed record DigitalTwinRow([property: Id(0)] string TwinId, [property: Id(1)] string Row);

/// <summary>The shards and how a twin maps to one.</summary>
internal static class DigitalTwinIndex
{
    public const int Count = 64;

    public static string Key(string hub, string twinId) => $"{hub}/{StableHash.Of(twinId) % Count}";

    public static async Task<long> CountOfModelAsync(IGrainFactory grains, string hub, string modelId, CancellationToken cancellationToken)
    {
        var counts = await Task.WhenAll(Enumerable.Range(0, Count).Select(shard =>
            grains.GetGrain<IDigitalTwinIndexGrain>($"{hub}/{shard}").CountOfModelAsync(modelId, cancellationToken)));
        return counts.Sum();
    }
}

/// <summary>What an index shard stores as its snapshot: the twins, and the last journaled change they include.</summary>
[GenerateSerializer, Alias("devicefabric.DigitalTwinIndexState")]
public sealed class DigitalTwinIndexState
{
    [Id(0)] public Dictionary<string, DigitalTwinProjection> Twins { get; set; } = new(StringComparer.Ordinal);

    [Id(1)] public long Sequence { get; set; }
}

/// <summary>The changes since an index shard's snapshot.</summary>
[GenerateSerializer, Alias("devicefabric.DigitalTwinIndexJournal")]
public sealed class DigitalTwinIndexJournal
{
    [Id(0)] public List<DigitalTwinIndexChange> Changes { get; set; } = [];
}

/// <summary>One change: a twin's projection, or its removal (null).</summary>
[GenerateSerializer, Immutable, Alias("devicefabric.DigitalTwinIndexChange")]
public sealed record DigitalTwinIndexChange([property: Id(0)] string TwinId, [property: Id(1)] DigitalTwinProjection? Projection, [property: Id(2)] long Sequence);

[Reentrant]
internal sealed class DigitalTwinIndexGrain : Grain, IDigitalTwinIndexGrain
{
    /// <summary>Journal length that triggers a new snapshot (as the registry shards do: bytes written per change stay small).</summary>
    private const int SnapshotEvery = 128;

    private readonly IPersistentState<DigitalTwinIndexState> _state;
    private readonly IPersistentState<DigitalTwinIndexJournal> _journal;
    private readonly GroupCommit _commit;
    private readonly DigitalTwinModelCache _models;
    private long _sequence;
    private readonly Dictionary<string, (long Version, System.Text.Json.Nodes.JsonObject Document)> _parsed = new(StringComparer.Ordinal);

    public DigitalTwinIndexGrain(
        [PersistentState("dtindex", GrainStorage.Name)] IPersistentState<DigitalTwinIndexState> state,
        [PersistentState("dtindexjournal", GrainStorage.Name)] IPersistentState<DigitalTwinIndexJournal> journal,
        DigitalTwinModelCache models)
    {
        _state = state;
        _journal = journal;
        _models = models;
        _commit = new GroupCommit(WriteAsync);
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Changes the snapshot already holds are skipped: replaying them over a newer snapshot would roll it back.
        foreach (var change in _journal.State.Changes.Where(c => c.Sequence > _state.State.Sequence))
        {
            Apply(change);
        }

        _sequence = Math.Max(_state.State.Sequence, _journal.State.Changes.Count > 0 ? _journal.State.Changes[^1].Sequence : 0);
        return Task.CompletedTask;
    }

    /// <summary>Applies a change in memory and journals it; completes once a journal write holding it is stored.</summary>
    private Task RecordAsync(string twinId, DigitalTwinProjection? projection)
    {
        var change = new DigitalTwinIndexChange(twinId, projection, ++_sequence);
        Apply(change);
        _journal.State.Changes.Add(change);
        return _commit.CommitAsync();
    }

    private void Apply(DigitalTwinIndexChange change)
    {
        if (change.Projection is { } projection)
        {
            _state.State.Twins[change.TwinId] = projection;
        }
        else
        {
            _state.State.Twins.Remove(change.TwinId);
            _parsed.Remove(change.TwinId);
        }
    }

    /// <summary>Stores the journal, after a new snapshot when it has grown long (the registry shards' scheme).</summary>
    private async Task WriteAsync()
    {
        var changes = _journal.State.Changes;
        if (changes.Count >= SnapshotEvery)
        {
            var included = changes.Count;
            _state.State.Sequence = changes[^1].Sequence;
            await _state.WriteStateAsync();
            changes.RemoveRange(0, included);
        }

        await _journal.WriteStateAsync();
    }

    public async Task<IReadOnlyList<DigitalTwinRow>> QueryAsync(string query, int limit, CancellationToken cancellationToken = default)
    {
        var parsed = Query.QueryParser.ParseTwinQuery(query);
        var hub = this.GetPrimaryKeyString()[..this.GetPrimaryKeyString().LastIndexOf('/')];
        var catalog = await _models.GetAsync(GrainFactory, hub);
        parsed.Ancestry.IsOf = catalog.IsOf;
        var rows = new List<DigitalTwinRow>();
        long count = 0;
        var counting = parsed.Projection.Kind == TwinProjectionKind.Count;
        foreach (var (twinId, _) in _state.State.Twins.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            var row = parsed.Row((System.Text.Json.Nodes.JsonObject)Parsed(twinId).DeepClone());
            if (parsed.Where is null || parsed.Where.IsTrue(row))
            {
                count++;
                if (!counting)
                {
                    rows.Add(new DigitalTwinRow(twinId, parsed.Project(row).ToJsonString()));
                    if (rows.Count >= limit)
                    {
                        break;
                    }
                }
            }
        }

        return counting ? [new DigitalTwinRow(string.Empty, count.ToString(System.Globalization.CultureInfo.InvariantCulture))] : rows;
    }

    /// <summary>A twin's document parsed once per projection, not once per query.</summary>
    private System.Text.Json.Nodes.JsonObject Parsed(string twinId)
    {
        var projection = _state.State.Twins[twinId];
        if (!_parsed.TryGetValue(twinId, out var held) || held.Version != projection.Version)
        {
            held = (projection.Version, System.Text.Json.Nodes.JsonNode.Parse(projection.Json)!.AsObject());
            _parsed[twinId] = held;
        }

        return held.Document;
    }

    public Task<IReadOnlyList<DigitalTwinProjection?>> GetManyAsync(IReadOnlyList<string> twinIds, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<DigitalTwinProjection?>>([.. twinIds.Select(id => _state.State.Twins.GetValueOrDefault(id))]);

    public Task UpsertAsync(string twinId, DigitalTwinProjection projection, CancellationToken cancellationToken = default)
    {
        if (_state.State.Twins.TryGetValue(twinId, out var held) && held.Version >= projection.Version)
        {
            return _commit.StoredAsync();
        }

        return RecordAsync(twinId, projection);
    }

    public Task RemoveAsync(string twinId, long version, CancellationToken cancellationToken = default) =>
        _state.State.Twins.TryGetValue(twinId, out var held) && held.Version < version
            ? RecordAsync(twinId, null)
            : _commit.StoredAsync();

    public Task<long> CountOfModelAsync(string modelId, CancellationToken cancellationToken = default) =>
        Task.FromResult((long)_state.State.Twins.Values.Count(t => t.ModelId == modelId));
}
