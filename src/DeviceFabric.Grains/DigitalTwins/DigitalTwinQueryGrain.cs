using System.Text;
using System.Text.Json.Nodes;
using DeviceFabric.Query;
using Orleans.Concurrency;

namespace DeviceFabric.DigitalTwins;

/// <summary>
/// A query without JOINs is evaluated by every index shard at once over the twins it holds; a JOIN starts from the
/// twins its <c>$dtId</c> condition names (Azure Digital Twins requires one) and follows their relationships through the
/// shards' projections, so no twin grain is woken and nothing is read from storage per hop. Rows are ordered by twin
/// id; a page's token carries the query and where the next page starts (results are computed again per page).
/// </summary>
[StatelessWorker]
internal sealed class DigitalTwinQueryGrain(DigitalTwinModelCache models, DigitalTwinInstruments instruments) : Grain, IDigitalTwinQueryGrain
{
    public const int MaxPageSize = 1000;
    private const int MaxRows = 100_000;

    private string Hub => this.GetPrimaryKeyString();

    public async Task<DigitalTwinQueryPage> QueryAsync(string? query, string? continuationToken, int pageSize, CancellationToken cancellationToken = default)
    {
        var (text, offset) = continuationToken is null ? (query, 0) : Token.Read(continuationToken);
        TwinQuery parsed;
        try
        {
            parsed = QueryParser.ParseTwinQuery(text);
        }
        catch (DeviceFabricException ex) when (ex.Code == DeviceFabricErrorCode.ArgumentInvalid)
        {
            instruments.Queried("unparsed", answered: false, TimeSpan.Zero);
            throw new DeviceFabricException(DeviceFabricErrorCode.SqlQueryError, ex.Message);
        }

        var shape = parsed.Match is not null ? "match" : parsed.Joins.Count == 0 ? "scan" : "join";
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        List<string> rows;
        try
        {
            rows = shape switch
            {
                "match" => await MatchAsync(parsed, cancellationToken),
                "scan" => await ScanAsync(parsed, text!, cancellationToken),
                _ => await JoinAsync(parsed, cancellationToken),
            };
        }
        catch (DeviceFabricException)
        {
            instruments.Queried(shape, answered: false, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            throw;
        }

        instruments.Queried(shape, answered: true, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        if (parsed.Top is { } top)
        {
            rows = [.. rows.Take(top)];
        }

        var size = Math.Clamp(pageSize, 1, MaxPageSize);
        var page = rows.Skip(offset).Take(size).ToList();
        var next = (long)offset + size < rows.Count ? Token.Write(text!, offset + size) : null;
        return new DigitalTwinQueryPage(page, next);
    }

    private async Task<List<string>> ScanAsync(TwinQuery parsed, string text, CancellationToken cancellationToken)
    {
        // Each shard gives at most what the page can use (TOP, or one row past the most a query returns).
        var limit = Math.Min(parsed.Top ?? int.MaxValue, MaxRows + 1);
        var shards = await Task.WhenAll(Enumerable.Range(0, DigitalTwinIndex.Count).Select(shard =>
            GrainFactory.GetGrain<IDigitalTwinIndexGrain>($"{Hub}/{shard}").QueryAsync(text, limit, cancellationToken)));
        if (parsed.Projection.Kind == TwinProjectionKind.Count)
        {
            return [new JsonObject { ["COUNT"] = shards.Sum(s => long.Parse(s[0].Row, System.Globalization.CultureInfo.InvariantCulture)) }.ToJsonString()];
        }

        // Each shard's rows come in twin id order; merged by id, pages are stable.
        var rows = shards.SelectMany(s => s).OrderBy(r => r.TwinId, StringComparer.Ordinal).Take(limit).Select(r => r.Row).ToList();
        return rows.Count > MaxRows && parsed.Top is null
            ? throw new DeviceFabricException(DeviceFabricErrorCode.SqlQueryError, $"The query gives over {MaxRows} rows; narrow it or take TOP(n).")
            : rows;
    }

    private async Task<List<string>> JoinAsync(TwinQuery parsed, CancellationToken cancellationToken)
    {
        var anchors = Anchors(parsed.Where, parsed.RootAlias!)
            ?? throw new DeviceFabricException(DeviceFabricErrorCode.SqlQueryError, $"A JOIN query needs a condition on {parsed.RootAlias}.$dtId (= or IN).");
        parsed.Ancestry.IsOf = (await models.GetAsync(GrainFactory, Hub)).IsOf;
        var roots = await FetchAsync(anchors, cancellationToken);
        var rows = roots.Values.Select(p => (Row: new JsonObject { [parsed.RootAlias!] = JsonNode.Parse(p.Json) }, Twins: new Dictionary<string, DigitalTwinProjection> { [parsed.RootAlias!] = p })).ToList();
        foreach (var join in parsed.Joins)
        {
            var targets = rows.SelectMany(r => r.Twins.GetValueOrDefault(join.Source)?.Relationships ?? []).Where(r => r.Name == join.Relationship).Select(r => r.TargetId);
            var fetched = await FetchAsync(targets.Distinct(StringComparer.Ordinal), cancellationToken);
            var next = new List<(JsonObject Row, Dictionary<string, DigitalTwinProjection> Twins)>();
            foreach (var (row, twins) in rows)
            {
                // No OUTER JOIN, as in Azure Digital Twins: a twin without the relationship drops its row.
                foreach (var relationship in (twins.GetValueOrDefault(join.Source)?.Relationships ?? []).Where(r => r.Name == join.Relationship))
                {
                    if (fetched.TryGetValue(relationship.TargetId, out var target))
                    {
                        var extended = (JsonObject)row.DeepClone();
                        extended[join.Alias] = JsonNode.Parse(target.Json);
                        if (join.RelationshipAlias is { } alias)
                        {
                            extended[alias] = JsonNode.Parse(relationship.Json);
                        }

                        next.Add((extended, new Dictionary<string, DigitalTwinProjection>(twins) { [join.Alias] = target }));
                        if (next.Count > MaxRows)
                        {
                            throw new DeviceFabricException(DeviceFabricErrorCode.SqlQueryError, $"The query joins to over {MaxRows} rows; narrow it.");
                        }
                    }
                }
            }

            rows = next;
        }

        var matched = rows.Where(r => parsed.Where is null || parsed.Where.IsTrue(r.Row)).Select(r => r.Row).ToList();
        return parsed.Projection.Kind == TwinProjectionKind.Count
            ? [new JsonObject { ["COUNT"] = matched.Count }.ToJsonString()]
            : [.. matched.Select(r => parsed.Project(r).ToJsonString())];
    }

    private async Task<List<string>> MatchAsync(TwinQuery parsed, CancellationToken cancellationToken)
    {
        parsed.Ancestry.IsOf = (await models.GetAsync(GrainFactory, Hub)).IsOf;
        var rows = await new DigitalTwinMatch(ids => FetchAsync(ids, cancellationToken)).RunAsync(parsed, Anchors);
        var matched = rows.Where(r => parsed.Where is null || parsed.Where.IsTrue(r)).ToList();
        return parsed.Projection.Kind == TwinProjectionKind.Count
            ? [new JsonObject { ["COUNT"] = matched.Count }.ToJsonString()]
            : [.. matched.Select(r => parsed.Project(r).ToJsonString())];
    }

    /// <summary>The twin ids a condition pins the root to (<c>alias.$dtId = 'x'</c> or <c>IN [...]</c>, under ANDs), or null.</summary>
    private static IReadOnlyList<string>? Anchors(QueryExpression? where, string root) => where switch
    {
        AndExpression and => Anchors(and.Left, root) ?? Anchors(and.Right, root),
        Comparison { Operator: "=", Left.Path: [var a, "$dtId"], Right.Constant: JsonValue id } when a == root => [id.ToString()],
        Comparison { Operator: "=", Right.Path: [var a, "$dtId"], Left.Constant: JsonValue id } when a == root => [id.ToString()],
        InList { Negated: false, Value.Path: [var a, "$dtId"] } list when a == root => [.. list.Candidates.OfType<JsonValue>().Select(v => v.ToString())],
        _ => null,
    };

    private async Task<Dictionary<string, DigitalTwinProjection>> FetchAsync(IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var byShard = ids.GroupBy(id => DigitalTwinIndex.Key(Hub, id), StringComparer.Ordinal).ToList();
        var answers = await Task.WhenAll(byShard.Select(async group =>
        {
            var wanted = group.ToList();
            var found = await GrainFactory.GetGrain<IDigitalTwinIndexGrain>(group.Key).GetManyAsync(wanted, cancellationToken);
            return wanted.Zip(found);
        }));
        return answers.SelectMany(a => a).Where(p => p.Second is not null).ToDictionary(p => p.First, p => p.Second!, StringComparer.Ordinal);
    }

    /// <summary>Continuation tokens: the query and the offset of the next page, base64 JSON.</summary>
    private static class Token
    {
        public static string Write(string query, int offset) =>
            Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject { ["q"] = query, ["o"] = offset }.ToJsonString()));

        public static (string Query, int Offset) Read(string token)
        {
            try
            {
                var json = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)))!;
                var offset = json["o"]!.GetValue<int>();
                return offset < 0 ? throw new FormatException() : (json["q"]!.GetValue<string>(), offset);
            }
            catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException or InvalidOperationException or NullReferenceException)
            {
                throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "The continuation token is not one this API gave.");
            }
        }
    }
}
