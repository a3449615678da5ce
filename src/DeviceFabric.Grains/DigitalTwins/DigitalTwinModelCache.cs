using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace DeviceFabric.DigitalTwins;

/// <summary>
/// Each hub's models, compiled, as this silo's twins validate against them. Models never change once uploaded, so a
/// held catalog is right for every model it has; it is read again when a twin names a model it lacks (just uploaded),
/// and at most a second after it was last checked otherwise (a decommission, a delete).
/// </summary>
internal sealed class DigitalTwinModelCache(TimeProvider time)
{
    private static readonly TimeSpan s_recheck = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<string, Catalog> _hubs = new(StringComparer.Ordinal);

    /// <summary>The models of a hub at one version, compiled.</summary>
    public sealed record Catalog(long Version, IReadOnlyDictionary<string, DtdlInterface> Models, IReadOnlySet<string> Decommissioned, DateTimeOffset CheckedAt)
    {
        /// <summary>Whether a model is <paramref name="ancestor"/> or extends it.</summary>
        public bool IsOf(string modelId, string ancestor) =>
            modelId == ancestor || (Models.TryGetValue(modelId, out var model) && model.Ancestors.Contains(ancestor));
    }

    /// <summary>
    /// The hub's catalog holding <paramref name="modelId"/> if it exists; called from a grain, with its factory. With
    /// <paramref name="current"/>, it is read afresh (the models grain answers with the version alone when unchanged),
    /// for a new twin, which must never take a model decommissioned a moment ago.
    /// </summary>
    public async ValueTask<Catalog> GetAsync(IGrainFactory grains, string hub, string? modelId = null, bool current = false)
    {
        var held = _hubs.GetValueOrDefault(hub);
        var fresh = held is not null && !current && time.GetUtcNow() - held.CheckedAt < s_recheck;
        if (held is not null && fresh && (modelId is null || held.Models.ContainsKey(modelId)))
        {
            return held;
        }

        var snapshot = await grains.GetGrain<IDigitalTwinModelsGrain>(hub).GetSnapshotAsync(held?.Version ?? -1);
        var models = snapshot.Models is null ? held!.Models : Compile(snapshot.Models);
        var catalog = new Catalog(snapshot.Version, models, snapshot.Decommissioned.ToHashSet(StringComparer.Ordinal), time.GetUtcNow());
        _hubs[hub] = catalog;
        return catalog;
    }

    /// <summary>Compiles stored models; they were valid together when stored, so this does not fail unless the rules tightened.</summary>
    public static Dictionary<string, DtdlInterface> Compile(IEnumerable<string> models)
    {
        var batch = new JsonArray([.. models.Select(m => JsonNode.Parse(m))]);
        if (batch.Count == 0)
        {
            return new Dictionary<string, DtdlInterface>(StringComparer.Ordinal);
        }

        return DtdlParser.ParseBatch(batch, _ => null).ToDictionary(m => m.Id, StringComparer.Ordinal);
    }
}
