using System.Text.Json.Nodes;
using DeviceFabric.Query;

namespace DeviceFabric.DigitalTwins;

/// <summary>
/// Evaluates a MATCH: from the twins a <c>$dtId</c> condition names (on any twin of the pattern), out along each
/// relationship to the right and back along those to the left, hop by hop through the index shards' projections
/// (outgoing and incoming relationships), each variable-length step breadth first with every twin visited once.
/// </summary>
internal sealed class DigitalTwinMatch(Func<IEnumerable<string>, Task<Dictionary<string, DigitalTwinProjection>>> fetchFromShards)
{
    private const int MaxRows = 100_000;

    /// <summary>The most twins one MATCH reads: each read once per query, however many rows reach it.</summary>
    private const int MaxTwinsRead = 200_000;

    private readonly Dictionary<string, DigitalTwinProjection?> _read = new(StringComparer.Ordinal);
    private int _rows;

    /// <summary>The twins asked for, from this query's reads where it has them, else from the shards (within the budget).</summary>
    private async Task<Dictionary<string, DigitalTwinProjection>> FetchAsync(IEnumerable<string> ids)
    {
        var missing = ids.Where(id => !_read.ContainsKey(id)).Distinct(StringComparer.Ordinal).ToList();
        if (_read.Count + missing.Count > MaxTwinsRead)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.SqlQueryError, $"The MATCH reads over {MaxTwinsRead} twins; narrow it (fewer hops, relationship names).");
        }

        if (missing.Count > 0)
        {
            var fetched = await fetchFromShards(missing);
            foreach (var id in missing)
            {
                _read[id] = fetched.GetValueOrDefault(id);
            }
        }

        return ids.Distinct(StringComparer.Ordinal).Where(id => _read[id] is not null).ToDictionary(id => id, id => _read[id]!, StringComparer.Ordinal);
    }

    private sealed record Row(JsonObject Json, Dictionary<string, DigitalTwinProjection> Twins);

    public async Task<List<JsonObject>> RunAsync(TwinQuery query, Func<QueryExpression?, string, IReadOnlyList<string>?> anchors)
    {
        var match = query.Match!;
        var (start, ids) = match.Nodes.Select((node, i) => (i, Ids: anchors(query.Where, node))).FirstOrDefault(a => a.Ids is not null);
        if (ids is null)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.SqlQueryError, "A MATCH query needs a condition on one of its twins' $dtId (= or IN).");
        }

        var roots = await FetchAsync(ids);
        var rows = roots.Values.Select(p => new Row(new JsonObject { [match.Nodes[start]] = JsonNode.Parse(p.Json) }, new() { [match.Nodes[start]] = p })).ToList();
        for (var j = start; j < match.Edges.Count; j++)
        {
            rows = await StepAsync(rows, match.Nodes[j], match.Nodes[j + 1], match.Edges[j], reversed: false);
        }

        for (var j = start - 1; j >= 0; j--)
        {
            rows = await StepAsync(rows, match.Nodes[j + 1], match.Nodes[j], match.Edges[j], reversed: true);
        }

        return [.. rows.Select(r => r.Json)];
    }

    private async Task<List<Row>> StepAsync(List<Row> rows, string from, string to, TwinEdge edge, bool reversed)
    {
        var direction = (edge.Direction, reversed) switch
        {
            (TwinEdgeDirection.Out, true) => TwinEdgeDirection.In,
            (TwinEdgeDirection.In, true) => TwinEdgeDirection.Out,
            _ => edge.Direction,
        };
        var next = new List<Row>();
        foreach (var row in rows)
        {
            foreach (var (target, relationship) in await ReachAsync(row.Twins[from], edge, direction))
            {
                var json = (JsonObject)row.Json.DeepClone();
                json[to] = JsonNode.Parse(target.Json);
                if (edge.Variable is { } variable && relationship is not null)
                {
                    json[variable] = JsonNode.Parse(relationship.Json);
                }

                next.Add(new Row(json, new Dictionary<string, DigitalTwinProjection>(row.Twins) { [to] = target }));
                if (next.Count > MaxRows || ++_rows > MaxRows * 4)
                {
                    throw new DeviceFabricException(DeviceFabricErrorCode.SqlQueryError, $"The MATCH reaches over {MaxRows} rows; narrow it.");
                }
            }
        }

        return next;
    }

    /// <summary>The twins reachable in MinHops to MaxHops steps, each once, with the relationship of a single hop.</summary>
    private async Task<List<(DigitalTwinProjection Twin, StoredRelationship? Relationship)>> ReachAsync(DigitalTwinProjection start, TwinEdge edge, TwinEdgeDirection direction)
    {
        var reached = new List<(DigitalTwinProjection, StoredRelationship?)>();
        var visited = new HashSet<string>(StringComparer.Ordinal) { IdOf(start) };
        var frontier = new List<DigitalTwinProjection> { start };
        for (var hop = 1; hop <= edge.MaxHops && frontier.Count > 0; hop++)
        {
            var steps = frontier.SelectMany(twin => Neighbours(twin, edge, direction)).Where(s => visited.Add(s.TwinId)).ToList();
            var fetched = await FetchAsync(steps.Select(s => s.TwinId));
            frontier = [];
            foreach (var (twinId, relationship, viaSource) in steps)
            {
                if (!fetched.TryGetValue(twinId, out var twin))
                {
                    continue;
                }

                frontier.Add(twin);
                if (hop >= edge.MinHops)
                {
                    // A relationship pointing in is the source's: it is found in the twin just fetched.
                    var held = relationship ?? (viaSource is { } id ? twin.Relationships?.FirstOrDefault(r => RelationshipId(r) == id) : null);
                    reached.Add((twin, held));
                }
            }
        }

        return reached;
    }

    private static IEnumerable<(string TwinId, StoredRelationship? Relationship, string? ViaSource)> Neighbours(DigitalTwinProjection twin, TwinEdge edge, TwinEdgeDirection direction)
    {
        if (direction is TwinEdgeDirection.Out or TwinEdgeDirection.Both)
        {
            foreach (var relationship in (twin.Relationships ?? []).Where(r => edge.Allows(r.Name)))
            {
                yield return (relationship.TargetId, relationship, null);
            }
        }

        if (direction is TwinEdgeDirection.In or TwinEdgeDirection.Both)
        {
            foreach (var incoming in (twin.Incoming ?? []).Where(r => edge.Allows(r.Name)))
            {
                yield return (incoming.SourceId, null, incoming.RelationshipId);
            }
        }
    }

    private static string IdOf(DigitalTwinProjection twin) => JsonNode.Parse(twin.Json)!["$dtId"]!.GetValue<string>();

    private static string? RelationshipId(StoredRelationship relationship) => JsonNode.Parse(relationship.Json)?["$relationshipId"]?.GetValue<string>();
}
