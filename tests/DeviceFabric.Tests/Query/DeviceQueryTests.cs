using System.Text.Json.Nodes;
using DeviceFabric.Client;
using DeviceFabric.Registry;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Query;

/// <summary>Queries through the registry shards' twin projections: filters, paging, projections, aggregates, errors.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DeviceQueryTests(ClusterFixture fixture)
{
    private readonly DeviceFabricClient _client = fixture.Client;

    /// <summary>Creates devices tagged with a run id unique to the test, so the shared cluster's other devices never match.</summary>
    private async Task<(string Run, List<string> Ids)> CreateFleetAsync(int count, Func<int, JsonObject>? tags = null)
    {
        var run = "q" + Guid.NewGuid().ToString("N")[..10];
        var ids = Enumerable.Range(0, count).Select(i => $"{run}-{i:D3}").ToList();
        await Task.WhenAll(ids.Select(async (id, i) =>
        {
            await _client.Devices.CreateAsync(id);
            var deviceTags = tags?.Invoke(i) ?? [];
            deviceTags["run"] = run;
            await _client.Twins.UpdateAsync(id, new JsonObject { ["tags"] = deviceTags });
        }));
        return (run, ids);
    }

    private async Task<List<JsonObject>> AllAsync(string query, int pageSize = 100)
    {
        var items = new List<JsonObject>();
        await foreach (var item in _client.Query.QueryAsync(query, pageSize))
        {
            items.Add(item);
        }

        return items;
    }

    [Fact]
    public async Task Where_OnTags_ReturnsExactlyTheMatchingTwins_InDeviceIdOrder()
    {
        var (run, ids) = await CreateFleetAsync(12, i => new JsonObject { ["floor"] = i % 3, ["site"] = i < 6 ? "north" : "south" });

        var north = await AllAsync($"SELECT * FROM devices WHERE tags.run = '{run}' AND tags.site = 'north' AND tags.floor IN [0, 2]");

        var expected = ids.Where((_, i) => i < 6 && i % 3 != 1).ToList();
        Assert.Equal(expected, north.Select(t => t["deviceId"]!.GetValue<string>()).ToList());
        Assert.All(north, t => Assert.Equal(run, t["tags"]!["run"]!.GetValue<string>()));
        Assert.All(north, t => Assert.Equal("Disconnected", t["connectionState"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Paging_CoversEveryMatchOnce_AndTheLastPageHasNoToken()
    {
        var (run, ids) = await CreateFleetAsync(25);
        var query = $"SELECT * FROM devices WHERE tags.run = '{run}'";

        var seen = new List<string>();
        var pages = 0;
        string? token = null;
        do
        {
            var page = await _client.Query.QueryPageAsync(query, 10, token);
            Assert.Equal(QueryItemType.Twin, page.ItemType);
            seen.AddRange(page.Items.Select(i => JsonNode.Parse(i)!["deviceId"]!.GetValue<string>()));
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(3, pages);
        Assert.Equal(ids, seen);
    }

    [Fact]
    public async Task Top_LimitsTheResults_AcrossPages()
    {
        var (run, _) = await CreateFleetAsync(8);
        var results = await AllAsync($"SELECT TOP 5 * FROM devices WHERE tags.run = '{run}'", pageSize: 2);
        Assert.Equal(5, results.Count);
    }

    [Fact]
    public async Task ProjectionAndGroupByCount_AreComputedAcrossShards()
    {
        var (run, ids) = await CreateFleetAsync(10, i => new JsonObject { ["ring"] = i < 7 ? "canary" : "stable" });

        var projected = await AllAsync($"SELECT deviceId, tags.ring AS ring FROM devices WHERE tags.run = '{run}' AND tags.ring = 'stable'");
        Assert.Equal(ids.Skip(7), projected.Select(p => p["deviceId"]!.GetValue<string>()));
        Assert.All(projected, p => Assert.Equal(["deviceId", "ring"], p.Select(kv => kv.Key)));

        var groups = await AllAsync($"SELECT tags.ring, COUNT() AS numberOfDevices FROM devices WHERE tags.run = '{run}' GROUP BY tags.ring");
        var counts = groups.ToDictionary(g => g["ring"]!.GetValue<string>(), g => g["numberOfDevices"]!.GetValue<long>());
        Assert.Equal(new Dictionary<string, long> { ["canary"] = 7, ["stable"] = 3 }, counts);

        var total = Assert.Single(await AllAsync($"SELECT COUNT() AS total FROM devices WHERE tags.run = '{run}'"));
        Assert.Equal(10, total["total"]!.GetValue<long>());
    }

    [Fact]
    public async Task NumericAggregates_MergeAcrossShards_PerGroup_IgnoringNonNumbers()
    {
        var (run, ids) = await CreateFleetAsync(9, i => new JsonObject { ["site"] = i < 5 ? "a" : "b", ["load"] = i == 8 ? "high" : i * 10 });

        var groups = await AllAsync(
            $"SELECT tags.site AS site, COUNT() AS n, SUM(tags.load) AS total, AVG(tags.load) AS mean, MIN(tags.load) AS low, MAX(tags.load) AS high " +
            $"FROM devices WHERE tags.run = '{run}' GROUP BY tags.site");

        var a = groups.Single(g => g["site"]!.GetValue<string>() == "a");
        Assert.Equal(5, a["n"]!.GetValue<long>());
        Assert.Equal(100, a["total"]!.GetValue<double>());
        Assert.Equal(20, a["mean"]!.GetValue<double>());
        Assert.Equal(0, a["low"]!.GetValue<double>());
        Assert.Equal(40, a["high"]!.GetValue<double>());

        // Device 8's load is a string: counted as a device, left out of the numbers.
        var b = groups.Single(g => g["site"]!.GetValue<string>() == "b");
        Assert.Equal(4, b["n"]!.GetValue<long>());
        Assert.Equal(50 + 60 + 70, b["total"]!.GetValue<double>());
        Assert.Equal(60, b["mean"]!.GetValue<double>());

        var none = Assert.Single(await AllAsync($"SELECT COUNT() AS n, MAX(tags.load) AS high FROM devices WHERE tags.run = '{run}' AND tags.site = 'c'"));
        Assert.Equal(0, none["n"]!.GetValue<long>());
        Assert.False(none.ContainsKey("high"));
    }

    [Fact]
    public async Task DesiredChangesAndDeletes_AreSeenByTheNextQuery()
    {
        var (run, ids) = await CreateFleetAsync(3);
        await _client.Twins.UpdateAsync(ids[1], JsonNode.Parse("""{"properties":{"desired":{"fw":"2.0"}}}""")!.AsObject());
        await _client.Devices.DeleteAsync(ids[2]);

        var updated = await AllAsync($"SELECT * FROM devices WHERE tags.run = '{run}' AND properties.desired.fw = '2.0'");
        Assert.Equal([ids[1]], updated.Select(t => t["deviceId"]!.GetValue<string>()));
        Assert.Equal(2, updated[0]["properties"]!["desired"]!["$version"]!.GetValue<long>());

        var remaining = await AllAsync($"SELECT * FROM devices WHERE tags.run = '{run}'");
        Assert.Equal(ids.Take(2), remaining.Select(t => t["deviceId"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("YWJj")]
    public async Task ForeignContinuationToken_IsArgumentInvalid(string token)
    {
        var error = await Assert.ThrowsAsync<DeviceFabricServiceException>(() => _client.Query.QueryPageAsync("SELECT * FROM devices", 10, token));
        Assert.Equal(DeviceFabricErrorCode.ArgumentInvalid, error.ErrorCode);
        Assert.Contains("continuation token", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SELECT * FROM devices WHERE", "position")]
    [InlineData("SELECT * FROM gadgets", "expected devices")]
    [InlineData("SELECT * FROM devices WHERE tags.x = ", "position")]
    public async Task MalformedQuery_IsArgumentInvalid_NamingWhereItFailed(string query, string expected)
    {
        var error = await Assert.ThrowsAsync<DeviceFabricServiceException>(() => _client.Query.QueryPageAsync(query));
        Assert.Equal(DeviceFabricErrorCode.ArgumentInvalid, error.ErrorCode);
        Assert.Contains(expected, error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
