using System.Text.Json.Nodes;
using DeviceFabric.Client;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Query;

/// <summary>Queries at the edges of numbers and page sizes get a clear 400 or a right answer, never a server error.</summary>
[Collection(ClusterCollection.Name)]
public sealed class QueryLimitsTests(ClusterFixture fixture)
{
    private readonly DeviceFabricClient _client = fixture.Client;

    private async Task<string> FleetAsync(params double[] loads)
    {
        var run = "lim" + Guid.NewGuid().ToString("N")[..10];
        for (var i = 0; i < loads.Length; i++)
        {
            await _client.Devices.CreateAsync($"{run}-{i}");
            await _client.Twins.UpdateAsync($"{run}-{i}", new JsonObject { ["tags"] = new JsonObject { ["run"] = run, ["load"] = loads[i] } });
        }

        return run;
    }

    [Fact]
    public async Task SumPastTheLargestDouble_IsArgumentInvalid_WhileAverageMinAndMaxAnswer()
    {
        var run = await FleetAsync(1.5e308, 1.5e308, 1.5e308);

        var error = await Assert.ThrowsAsync<DeviceFabricServiceException>(() =>
            _client.Query.QueryPageAsync($"SELECT SUM(tags.load) AS total FROM devices WHERE tags.run = '{run}'"));
        Assert.Equal(DeviceFabricErrorCode.ArgumentInvalid, error.ErrorCode);
        Assert.Contains("overflows", error.Message, StringComparison.Ordinal);

        var page = await _client.Query.QueryPageAsync($"SELECT AVG(tags.load) AS mean, MIN(tags.load) AS low, MAX(tags.load) AS high FROM devices WHERE tags.run = '{run}'");
        var row = JsonNode.Parse(Assert.Single(page.Items))!;
        Assert.Equal(1.5e308, row["mean"]!.GetValue<double>(), 1e294);
        Assert.Equal(1.5e308, row["high"]!.GetValue<double>());
    }

    [Theory]
    [InlineData("SELECT TOP -1 * FROM devices")]
    [InlineData("SELECT TOP 0 * FROM devices")]
    [InlineData("SELECT TOP 1.5 * FROM devices")]
    [InlineData("SELECT TOP 1001 * FROM devices")]
    [InlineData("SELECT TOP 1e12 * FROM devices")]
    public async Task TopOutsideOneToThePageLimit_IsArgumentInvalid(string query)
    {
        var error = await Assert.ThrowsAsync<DeviceFabricServiceException>(() => _client.Query.QueryPageAsync(query));
        Assert.Equal(DeviceFabricErrorCode.ArgumentInvalid, error.ErrorCode);
        Assert.Contains("TOP takes a whole number from 1 to 1000", error.Message, StringComparison.Ordinal);
    }
}
