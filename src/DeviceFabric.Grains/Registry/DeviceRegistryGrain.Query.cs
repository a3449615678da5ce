using DeviceFabric.Query;

namespace DeviceFabric.Registry;

/// <summary>
/// The query facet: asks every shard at once and merges their ordered answers. Device queries page by device id, so a
/// page costs each shard at most a page of matches; aggregates merge every shard's groups into one page.
/// </summary>
internal sealed partial class DeviceRegistryGrain
{
    public async Task<QueryPage> QueryAsync(string query, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var kind = "select";
        try
        {
            var page = await AnswerAsync(query, pageSize, continuationToken, cancellationToken, k => kind = k);
            queryInstruments.Answered(kind, ok: true, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            return page;
        }
        catch (DeviceFabricException)
        {
            queryInstruments.Answered(kind, ok: false, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            throw;
        }
    }

    private async Task<QueryPage> AnswerAsync(string query, int pageSize, string? continuationToken, CancellationToken cancellationToken, Action<string> kindOf)
    {
        if (pageSize is < 1 or > IDeviceRegistryGrain.MaxQueryPageSize)
        {
            throw new DeviceFabricException(
                DeviceFabricErrorCode.ArgumentInvalid, $"The page size must be between 1 and {IDeviceRegistryGrain.MaxQueryPageSize}.");
        }

        var parsed = QueryParser.Parse(query);
        var hub = this.GetPrimaryKeyString();
        if (parsed.Collection == "devices.jobs")
        {
            kindOf("jobs");
            return await GrainFactory.GetGrain<Jobs.IJobDirectoryGrain>(hub).QueryDeviceJobsAsync(query, pageSize, continuationToken, cancellationToken);
        }

        kindOf(QueryResults.IsAggregate(parsed) ? "aggregate" : "select");
        return QueryResults.IsAggregate(parsed)
            ? await AggregateAsync(hub, parsed, query, cancellationToken)
            : await PageAsync(hub, parsed, query, pageSize, continuationToken, cancellationToken);
    }

    private async Task<QueryPage> PageAsync(
        string hub, DeviceQuery parsed, string query, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var (returned, after) = DecodeQueryToken(continuationToken);
        var wanted = parsed.Top is { } top ? Math.Min(pageSize, top - returned) : pageSize;
        if (wanted <= 0)
        {
            return new QueryPage([], null, ItemType(parsed));
        }

        var pages = await Task.WhenAll(Enumerable.Range(0, RegistryShards.Count).Select(shard =>
            GrainFactory.GetGrain<IRegistryShardGrain>(RegistryShards.Key(hub, shard)).QueryAsync(query, after, wanted + 1, cancellationToken)));
        var matches = pages.SelectMany(p => p).OrderBy(m => m.DeviceId, StringComparer.Ordinal).Take(wanted + 1).ToList();
        var hasMore = matches.Count > wanted && (parsed.Top is null || returned + wanted < parsed.Top);
        if (matches.Count > wanted)
        {
            matches.RemoveAt(matches.Count - 1);
        }

        var token = hasMore ? EncodeQueryToken(returned + matches.Count, matches[^1].DeviceId) : null;
        return new QueryPage(matches.Select(m => m.Json).ToList(), token, ItemType(parsed));
    }

    private async Task<QueryPage> AggregateAsync(string hub, DeviceQuery parsed, string query, CancellationToken cancellationToken)
    {
        var groups = await Task.WhenAll(Enumerable.Range(0, RegistryShards.Count).Select(shard =>
            GrainFactory.GetGrain<IRegistryShardGrain>(RegistryShards.Key(hub, shard)).AggregateAsync(query, cancellationToken)));
        var merged = groups.SelectMany(g => g)
            .GroupBy(g => g.Key, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => QueryResults.GroupItem(parsed, g.First().Item, g.Sum(x => x.Count), MergePartials(g)));
        if (parsed.GroupBy is null && !merged.Any())
        {
            merged = [QueryResults.GroupItem(parsed, "{}", 0, [.. QueryResults.NumericAggregates(parsed).Select(_ => AggregatePartial.Empty)])];
        }

        return new QueryPage(merged.Take(parsed.Top ?? int.MaxValue).ToList(), null, QueryItemType.Raw);
    }

    private static IReadOnlyList<AggregatePartial> MergePartials(IEnumerable<QueryGroup> shards) =>
        shards.Select(g => g.Partials ?? []).Aggregate((a, b) => a.Count == 0 ? b : b.Count == 0 ? a : a.Zip(b, (x, y) => x.Merge(y)).ToList());

    private static QueryItemType ItemType(DeviceQuery parsed) => parsed.SelectsAll ? QueryItemType.Twin : QueryItemType.Raw;

    private static string EncodeQueryToken(int returned, string lastDeviceId) =>
        ContinuationTokens.Encode(ContinuationTokens.Number(returned), lastDeviceId);

    private static (int Returned, string? After) DecodeQueryToken(string? token) =>
        ContinuationTokens.Decode(token, 2) is { } parts ? ((int)ContinuationTokens.Number(parts[0], int.MaxValue), parts[1]) : (0, null);
}
