using System.Text;
using System.Text.Json.Nodes;
using DeviceFabric.Tests.Api;

namespace DeviceFabric.Tests.Cli;

/// <summary><c>devicefabric configuration</c> and <c>edge</c>: configurations, a manifest applied to one edge device, and deployments.</summary>
public sealed class ManagementConfigurationTests(ManagementCliFixture fixture) : IClassFixture<ManagementCliFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Manifest = """
        {"content":{"modulesContent":{
          "$edgeAgent":{"properties.desired":{"schemaVersion":"1.1","runtime":{"type":"docker","settings":{"minDockerVersion":"v1.25"}},
            "systemModules":{"edgeAgent":{"type":"docker","settings":{"image":"mcr.microsoft.com/azureiotedge-agent:1.4","createOptions":"{}"}},
                             "edgeHub":{"type":"docker","status":"running","restartPolicy":"always","settings":{"image":"mcr.microsoft.com/azureiotedge-hub:1.4","createOptions":"{}"}}},
            "modules":{"filter":{"version":"1.0","type":"docker","status":"running","restartPolicy":"always","settings":{"image":"example.azurecr.io/filter:1.0","createOptions":"{}"}}}}},
          "$edgeHub":{"properties.desired":{"schemaVersion":"1.1","routes":{"upstream":"FROM /messages/* INTO $upstream"},"storeAndForwardConfiguration":{"timeToLiveSecs":7200}}}}}}
        """;

    [Fact]
    public async Task Configuration_IsCreatedListedShownWithItsConditionUpdatedAndDeleted()
    {
        var id = ManagementCliFixture.NewId("cli-cfg");
        var condition = $"tags.cli = '{id}'";
        var created = await fixture.JsonAsync("configuration", "create", "--config-id", id, "--content", """{"deviceContent":{"properties.desired.cli":{"on":true}}}""",
            "--target-condition", condition, "--priority", "5", "--labels", "team=edge,tier=1", "--metrics", """{"queries":{"on":"SELECT deviceId FROM devices WHERE properties.reported.cli.on = true"}}""");
        Assert.Equal(id, (string?)created["id"]);
        Assert.Equal(5, (int?)created["priority"]);
        Assert.Equal("edge", (string?)created["labels"]!["team"]);

        var table = await fixture.TableAsync("configuration", "list");
        Assert.Contains("TargetCondition", table, StringComparison.Ordinal);
        Assert.Contains(id, table, StringComparison.Ordinal);

        var shown = await fixture.JsonAsync("configuration", "show", "--config-id", id);
        Assert.Equal(condition, (string?)shown["targetCondition"]);
        Assert.NotNull(shown["systemMetrics"]!["results"]);
        Assert.NotNull(shown["metrics"]!["queries"]!["on"]);

        var updated = await fixture.JsonAsync("configuration", "update", "--config-id", id, "--priority", "7");
        Assert.Equal(7, (int?)updated["priority"]);
        Assert.Equal(condition, (string?)updated["targetCondition"]);

        await fixture.SucceedsAsync("configuration", "delete", "--config-id", id);
        await fixture.RefusedAsync("ConfigurationNotFound", "configuration", "show", "--config-id", id);
    }

    [Fact]
    public async Task SetModules_WritesTheManifestIntoTheEdgeAgentTwin_AndDeploymentsAreListedApart()
    {
        using var http = fixture.Node.CreateHttpClient();
        var device = ManagementCliFixture.NewId("cli-edge");
        await ApiAssert.JsonAsync(await http.PutAsync($"/devices/{device}", new StringContent("""{"capabilities":{"iotEdge":true}}""", Encoding.UTF8, "application/json"), Ct));
        var manifest = fixture.WriteFile("manifest.json", Manifest);

        var modules = await fixture.JsonAsync("edge", "set-modules", "-d", device, "--content", "@" + manifest);
        Assert.Contains(modules.AsArray(), m => (string?)m!["moduleId"] == "$edgeAgent");
        var agent = JsonNode.Parse((await ApiAssert.JsonAsync(await http.GetAsync($"/twins/{device}/modules/%24edgeAgent", Ct))).GetRawText())!;
        Assert.Equal("example.azurecr.io/filter:1.0", (string?)agent["properties"]!["desired"]!["modules"]!["filter"]!["settings"]!["image"]);

        var deployment = ManagementCliFixture.NewId("cli-dep");
        var plain = ManagementCliFixture.NewId("cli-plain");
        await fixture.JsonAsync("edge", "deployment", "create", "-d", deployment, "--content", "@" + manifest, "--target-condition", $"tags.cli = '{deployment}'", "--priority", "3");
        await fixture.JsonAsync("configuration", "create", "-c", plain, "--content", """{"deviceContent":{"tags.x":1}}""", "--target-condition", $"tags.cli = '{plain}'");
        var deployments = await fixture.TableAsync("edge", "deployment", "list");
        Assert.Contains(deployment, deployments, StringComparison.Ordinal);
        Assert.DoesNotContain(plain, deployments, StringComparison.Ordinal);
        Assert.NotNull((await fixture.JsonAsync("edge", "deployment", "show", "-d", deployment))["content"]!["modulesContent"]!["$edgeAgent"]);
        await fixture.SucceedsAsync("edge", "deployment", "delete", "-d", deployment);
        await fixture.SucceedsAsync("configuration", "delete", "-c", plain);

        var refused = await CliRunner.RunAsync(fixture.Node, "edge", "set-modules", "-d", device, "--content", """{"deviceContent":{}}""");
        Assert.True(refused.ExitCode == 2, refused.ToString());
    }
}
