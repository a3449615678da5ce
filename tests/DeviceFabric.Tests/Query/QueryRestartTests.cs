using System.Text.Json.Nodes;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Query;

/// <summary>The shards' projections after a restart: snapshot plus journal give back exactly the last state.</summary>
public sealed class QueryRestartTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ManyChangesToOneShard_AcrossSnapshots_QueryTheLastStateAfterRestart()
    {
        var data = TestNode.NewDataDirectory();
        const string DeviceId = "journaled";
        await using (var node = await TestNode.StartAsync(data))
        {
            await node.Client.Devices.CreateAsync(DeviceId, cancellationToken: Ct);
            await node.Client.Devices.CreateAsync("removed", cancellationToken: Ct);

            // 300 changes to one device's shard: two snapshots (every 128) and a journal of the rest.
            for (var i = 1; i <= 300; i++)
            {
                await node.Client.Twins.UpdateAsync(DeviceId, new JsonObject { ["tags"] = new JsonObject { ["n"] = i } }, cancellationToken: Ct);
            }

            await node.Client.Devices.DeleteAsync("removed", cancellationToken: Ct);
        }

        await using (var node = await TestNode.StartAsync(data))
        {
            var page = await node.Client.Query.QueryPageAsync("SELECT deviceId, tags.n AS n FROM devices", cancellationToken: Ct);
            var only = JsonNode.Parse(Assert.Single(page.Items))!;
            Assert.Equal(DeviceId, only["deviceId"]!.GetValue<string>());
            Assert.Equal(300, only["n"]!.GetValue<int>());
        }
    }
}
