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

    /// <summary>The rows of a query without JOINs that the shard's twins give (a count, for COUNT()), by twin id.</summary>
    Task<IReadOnlyList<string>> QueryAsync(string query, CancellationToken cancellationToken = default);

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

/// <summary>What an index shard stores.</summary>
[GenerateSerializer, Alias("devicefabric.DigitalTwinIndexState")]
public sealed class DigitalTwinIndexState
{
    [Id(0)] public Dictionary<string, DigitalTwinProjection> Twins { get; set; } = new(StringComparer.Ordinal);
}

[Reentrant]
internal sealed class DigitalTwinIndexGrain : Grain, IDigitalTwinIndexGrain
{
    private readonly IPersistentState<DigitalTwinIndexState> _state;
    private readonly GroupCommit _commit;
    private readonly DigitalTwinModelCache _models;

    public DigitalTwinIndexGrain([PersistentState("dtindex", GrainStorage.Name)] IPersistentState<DigitalTwinIndexState> state, DigitalTwinModelCache models)
    {
        _state = state;
        _models = models;
        _commit = new GroupCommit(() => _state.WriteStateAsync());
    }

    public async Task<IReadOnlyList<string>> QueryAsync(string query, CancellationToken cancellationToken = default)
    {
        var parsed = Query.QueryParser.ParseTwinQuery(query);
        var hub = this.GetPrimaryKeyString()[..this.GetPrimaryKeyString().LastIndexOf('/')];
        var catalog = await _models.GetAsync(GrainFactory, hub);
        parsed.Ancestry.IsOf = catalog.IsOf;
        var rows = new List<string>();
        long count = 0;
        foreach (var (_, twin) in _state.State.Twins.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            var row = parsed.Row(System.Text.Json.Nodes.JsonNode.Parse(twin.Json)!.AsObject());
            if (parsed.Where is null || parsed.Where.IsTrue(row))
            {
                count++;
                if (parsed.Projection.Kind != TwinProjectionKind.Count)
                {
                    rows.Add(parsed.Project(row).ToJsonString());
                }
            }
        }

        return parsed.Projection.Kind == TwinProjectionKind.Count ? [count.ToString(System.Globalization.CultureInfo.InvariantCulture)] : rows;
    }

    public Task<IReadOnlyList<DigitalTwinProjection?>> GetManyAsync(IReadOnlyList<string> twinIds, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<DigitalTwinProjection?>>([.. twinIds.Select(id => _state.State.Twins.GetValueOrDefault(id))]);

    public Task UpsertAsync(string twinId, DigitalTwinProjection projection, CancellationToken cancellationToken = default)
    {
        if (_state.State.Twins.TryGetValue(twinId, out var held) && held.Version >= projection.Version)
        {
            return held == projection ? _commit.StoredAsync() : Task.CompletedTask;
        }

        _state.State.Twins[twinId] = projection;
        return _commit.CommitAsync();
    }

    public Task RemoveAsync(string twinId, long version, CancellationToken cancellationToken = default) =>
        _state.State.Twins.TryGetValue(twinId, out var held) && held.Version < version && _state.State.Twins.Remove(twinId)
            ? _commit.CommitAsync()
            : _commit.StoredAsync();

    public Task<long> CountOfModelAsync(string modelId, CancellationToken cancellationToken = default) =>
        Task.FromResult((long)_state.State.Twins.Values.Count(t => t.ModelId == modelId));
}
