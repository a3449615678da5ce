using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using DeviceFabric.Devices;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Query;

/// <summary>
/// The REST twin and the query's <c>SELECT *</c> row come from one composer: they agree field by field, except what a
/// registry shard does not hold (<c>$metadata</c>, last activity and queue depth live in the twin and device grains).
/// </summary>
public sealed class TwinDocumentAgreementTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private static readonly string[] s_onlyInTheTwin = ["lastActivityTime", "cloudToDeviceMessageCount"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RestTwin_AndQueryRow_AgreeFieldByField()
    {
        var node = fixture.Node;
        var device = await node.Client.Devices.CreateAsync(
            "agree-" + Guid.NewGuid().ToString("N")[..10],
            new DeviceSettings(DeviceStatus.Enabled, "set up by the test", IsEdge: true),
            Ct);
        using (var twin = await TwinDevice.ConnectAsync(node, device))
        {
            Assert.Equal(204, (await twin.PatchReportedAsync("""{"fw":"1.0","battery":{"level":80}}""")).Status);
        }

        using var http = node.CreateHttpClient();
        var patch = new StringContent("""{"tags":{"site":"north"},"properties":{"desired":{"interval":30}}}""", Encoding.UTF8, "application/json");
        await ApiAssert.JsonAsync(await http.PatchAsync($"/twins/{device.DeviceId}", patch, Ct));

        var rest = JsonNode.Parse(await http.GetStringAsync($"/twins/{device.DeviceId}", Ct))!.AsObject();
        var query = JsonContent.Create(new { query = $"SELECT * FROM devices WHERE deviceId = '{device.DeviceId}'" });
        var rows = JsonNode.Parse(await (await http.PostAsync("/devices/query", query, Ct)).Content.ReadAsStringAsync(Ct))!.AsArray();
        var row = Assert.Single(rows)!.AsObject();

        Assert.Equal(rest.Select(p => p.Key).Except(s_onlyInTheTwin), row.Select(p => p.Key));
        foreach (var (name, value) in row)
        {
            var expected = name == "properties" ? WithoutMetadata(rest[name]!.AsObject()) : rest[name];
            Assert.True(JsonNode.DeepEquals(expected, value), $"{name}: REST {expected?.ToJsonString()} but the query row {value?.ToJsonString()}");
        }
    }

    private static JsonObject WithoutMetadata(JsonObject properties)
    {
        var copy = properties.DeepClone().AsObject();
        foreach (var (_, section) in copy)
        {
            section!.AsObject().Remove("$metadata");
        }

        return copy;
    }
}
