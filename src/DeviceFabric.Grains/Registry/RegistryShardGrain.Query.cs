using System.Text.Json.Nodes;
using DeviceFabric.Query;

namespace DeviceFabric.Registry;

/// <summary>The query facet of a registry shard: evaluates queries over the shard's twin projections.</summary>
internal sealed partial class RegistryShardGrain
{
    public Task<IReadOnlyList<QueryMatch>> QueryAsync(string query, string? afterDeviceId, int maxCount, CancellationToken cancellationToken = default)
    {
        var parsed = QueryParser.Parse(query);
        var matches = new List<QueryMatch>();
        foreach (var (id, document) in Documents(parsed.Collection, afterDeviceId, NamesHealth(query)))
        {
            if (matches.Count == maxCount)
            {
                break;
            }

            if (parsed.Matches(document))
            {
                matches.Add(new QueryMatch(id, QueryResults.Item(parsed, document).ToJsonString()));
            }
        }

        return Task.FromResult<IReadOnlyList<QueryMatch>>(matches);
    }

    public Task<IReadOnlyList<QueryGroup>> AggregateAsync(string query, CancellationToken cancellationToken = default)
    {
        var parsed = QueryParser.Parse(query);
        var numeric = QueryResults.NumericAggregates(parsed);
        var groups = new Dictionary<string, (string Item, long Count, AggregatePartial[] Partials)>(StringComparer.Ordinal);
        foreach (var (_, document) in Documents(parsed.Collection, afterDeviceId: null, NamesHealth(query)))
        {
            if (!parsed.Matches(document))
            {
                continue;
            }

            var key = QueryResults.GroupKey(parsed, document);
            if (!groups.TryGetValue(key, out var group))
            {
                group = (QueryResults.Item(parsed, document).ToJsonString(), 0, numeric.Select(_ => AggregatePartial.Empty).ToArray());
            }

            QueryResults.Accumulate(numeric, group.Partials, document);
            groups[key] = (group.Item, group.Count + 1, group.Partials);
        }

        return Task.FromResult<IReadOnlyList<QueryGroup>>(
            groups.Select(g => new QueryGroup(g.Key, g.Value.Item, g.Value.Count, g.Value.Partials)).ToList());
    }

    public Task<IReadOnlyList<string>> MatchAsync(string? condition, CancellationToken cancellationToken = default)
    {
        var where = QueryParser.ParseCondition(condition);
        IReadOnlyList<string> ids = where is null
            ? [.. _ids]
            : Documents("devices", afterDeviceId: null, NamesHealth(condition)).Where(d => where.IsTrue(d.Document)).Select(d => d.DeviceId).ToList();
        return Task.FromResult(ids);
    }

    public Task<IReadOnlyList<Security.ExpiringCertificate>> ListCertificatesExpiringAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<Security.ExpiringCertificate>>(_state.State.Devices.Values
            .Where(d => d.CertificateExpiry < before && d.CertificateThumbprint is not null)
            .Select(d => new Security.ExpiringCertificate(Modules.ModuleIds.IsModule(d.DeviceId) ? "module" : "device", d.DeviceId, d.CertificateThumbprint!, d.CertificateExpiry!.Value))
            .ToList());

    /// <summary>Whether a query may read <c>health</c>: only then is it composed for each device (it costs a JSON object each).</summary>
    private static bool NamesHealth(string? query) => query?.Contains("health", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>
    /// The query document of each device (or, for <c>devices.modules</c>, each module) after <paramref name="afterDeviceId"/>,
    /// in ordinal order of identity id, composed as it is read.
    /// </summary>
    private IEnumerable<(string DeviceId, JsonObject Document)> Documents(string collection, string? afterDeviceId, bool withHealth)
    {
        var devices = _state.State.Devices;
        var twins = _state.State.Twins;
        var now = _clock.Time.GetUtcNow();
        var modules = collection == "devices.modules";
        foreach (var id in After(modules ? _moduleIds : _ids, afterDeviceId))
        {
            twins.TryGetValue(id, out var twin);
            var document = QueryDocument.Compose(devices[id], _connected.Contains(id), twin);
            if (withHealth && !modules)
            {
                document["health"] = Devices.DeviceHealth.ToJson(_health.GetValueOrDefault(id), document, now);
            }

            yield return (id, document);
        }
    }
}
