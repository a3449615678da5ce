using System.Text.Json.Nodes;
using DeviceFabric.Client;
using DeviceFabric.Configurations;
using DeviceFabric.Devices;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Configurations;

/// <summary>
/// Configurations through the grain client: module configurations, tags content, devices created later, events,
/// layered IoT Edge deployments and refusals. Each test targets its own devices by a unique tag.
/// </summary>
public sealed class ConfigurationApplyTests(ConfigurationNodeFixture fixture) : IClassFixture<ConfigurationNodeFixture>
{
    private TestNode Node => fixture.Node;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string NewId(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    private static ConfigurationContent DeviceContent(params (string Key, string Json)[] paths) =>
        new(paths.ToDictionary(p => p.Key, p => p.Json), new Dictionary<string, string>(), new Dictionary<string, IReadOnlyDictionary<string, string>>());

    private static ConfigurationSettings Settings(ConfigurationContent content, string condition, int priority = 0, IReadOnlyDictionary<string, string>? metrics = null) =>
        new(new Dictionary<string, string>(), content, condition, priority, metrics ?? new Dictionary<string, string>());

    private static Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> holds, string what) => Eventually.HoldsAsync(read, holds, what);

    private async Task TagAsync(string deviceId, string tagsJson) =>
        await Node.Client.Twins.UpdateAsync(deviceId, JsonNode.Parse($$$"""{"tags":{{{tagsJson}}}}""")!.AsObject(), cancellationToken: Ct);

    [Fact]
    public async Task ADeviceConfiguration_WritesTags_AndReachesADeviceCreatedLater()
    {
        var group = NewId("g");
        var id = NewId("tags");
        await Node.Client.Configurations.CreateAsync(id, Settings(
            DeviceContent(("tags.managedBy", "\"ops\""), ("properties.desired.telemetry", """{"interval":30}""")),
            $"STARTSWITH(deviceId, '{group}')"), Ct);

        // Created after the configuration: its twin applies it at creation, without waiting for a sweep.
        var device = await Node.Client.Devices.CreateAsync(group + "-1", cancellationToken: Ct);
        var twin = await EventuallyAsync(() => Node.Client.Twins.GetAsync(device.DeviceId, Ct),
            t => t["configurations"]?[id]?["status"]?.GetValue<string>() == "Applied", "the new device shows the configuration applied");
        Assert.Equal("ops", twin["tags"]!["managedBy"]!.GetValue<string>());
        Assert.Equal(30, twin["properties"]!["desired"]!["telemetry"]!["interval"]!.GetValue<int>());

        var definition = await EventuallyAsync(() => Node.Client.Configurations.GetAsync(id, Ct),
            d => d.Metrics.SystemResults["appliedCount"] == 1, "appliedCount 1");
        Assert.Equal(1, definition.Metrics.SystemResults["targetedCount"]);

        await Node.Client.Configurations.DeleteAsync(id, cancellationToken: Ct);
        twin = await EventuallyAsync(() => Node.Client.Twins.GetAsync(device.DeviceId, Ct),
            t => t["configurations"] is null, "the deleted configuration's marker goes");
        Assert.Null(twin["tags"]!["managedBy"]);
        Assert.Null(twin["properties"]!["desired"]!["telemetry"]);
    }

    [Fact]
    public async Task AModuleConfiguration_TargetsModuleTwinsByTheirTags_AndCountsThem()
    {
        var role = NewId("role");
        var device = await Node.Client.Devices.CreateAsync(NewId("host"), cancellationToken: Ct);
        await Node.Client.Modules.CreateAsync(device.DeviceId, "a", cancellationToken: Ct);
        await Node.Client.Modules.CreateAsync(device.DeviceId, "b", cancellationToken: Ct);
        await Node.Client.Modules.UpdateTwinAsync(device.DeviceId, "a", JsonNode.Parse($$$"""{"tags":{"role":"{{{role}}}"}}""")!.AsObject(), cancellationToken: Ct);

        var id = NewId("mods");
        var content = new ConfigurationContent(
            new Dictionary<string, string>(), new Dictionary<string, string> { ["properties.desired.filter"] = """{"threshold":7}""" },
            new Dictionary<string, IReadOnlyDictionary<string, string>>());
        var metrics = new Dictionary<string, string> { ["reporting"] = $"SELECT deviceId FROM devices.modules WHERE tags.role = '{role}' AND properties.reported.threshold = properties.desired.filter.threshold" };
        await Node.Client.Configurations.CreateAsync(id, Settings(content, $"FROM devices.modules WHERE tags.role = '{role}'", metrics: metrics), Ct);

        var twin = await EventuallyAsync(() => Node.Client.Modules.GetTwinAsync(device.DeviceId, "a", Ct),
            t => t["configurations"]?[id] is not null, "module a shows the configuration");
        Assert.Equal(7, twin["properties"]!["desired"]!["filter"]!["threshold"]!.GetValue<int>());
        Assert.Null((await Node.Client.Modules.GetTwinAsync(device.DeviceId, "b", Ct))["properties"]!["desired"]!["filter"]);
        Assert.Null((await Node.Client.Twins.GetAsync(device.DeviceId, Ct))["properties"]!["desired"]!["filter"]);

        await EventuallyAsync(() => Node.Client.Configurations.GetAsync(id, Ct),
            d => d.Metrics.SystemResults["appliedCount"] == 1 && d.Metrics.SystemResults["targetedCount"] == 1 && d.Metrics.Results["reporting"] == 0,
            "module counts 1/1, reporting 0");

        // Tagging module b brings it in within seconds.
        await Node.Client.Modules.UpdateTwinAsync(device.DeviceId, "b", JsonNode.Parse($$$"""{"tags":{"role":"{{{role}}}"}}""")!.AsObject(), cancellationToken: Ct);
        await EventuallyAsync(() => Node.Client.Configurations.GetAsync(id, Ct), d => d.Metrics.SystemResults["appliedCount"] == 2, "appliedCount 2");
    }

    [Fact]
    public async Task Changes_AndCounts_AreAnnouncedAsEvents()
    {
        var events = new Recorder<ConfigurationEvent>();
        await using var subscription = await Node.Client.Configurations.SubscribeAsync(events.Add, Ct);
        var tag = NewId("ev");
        var device = await Node.Client.Devices.CreateAsync(NewId("evd"), cancellationToken: Ct);
        await TagAsync(device.DeviceId, $$$"""{"group":"{{{tag}}}"}""");
        var id = NewId("events");
        await Node.Client.Configurations.CreateAsync(id, Settings(DeviceContent(("properties.desired.x", "1")), $"tags.group = '{tag}'"), Ct);

        await events.WaitForAsync(e => e.ConfigurationId == id && e.Kind == ConfigurationEventKind.Created);
        var counted = await events.WaitForAsync(e => e.ConfigurationId == id && e.Kind == ConfigurationEventKind.MetricsChanged && e.SystemResults["appliedCount"] == 1);
        Assert.Equal(1, counted.SystemResults["targetedCount"]);
        await Node.Client.Configurations.DeleteAsync(id, cancellationToken: Ct);
        await events.WaitForAsync(e => e.ConfigurationId == id && e.Kind == ConfigurationEventKind.Deleted);
    }

    [Fact]
    public async Task ALayeredDeployment_AddsItsModuleOverTheBase_AndTakesItBackWhenDeleted()
    {
        var site = NewId("site");
        var edge = await Node.Client.Devices.CreateAsync(NewId("edge"), new DeviceSettings(IsEdge: true), Ct);
        await TagAsync(edge.DeviceId, $$$"""{"site":"{{{site}}}"}""");
        var baseId = NewId("base");
        var layerId = NewId("layer");
        await Node.Client.Configurations.CreateAsync(baseId, Settings(EdgeManifests.Base("tempSensor"), $"tags.site = '{site}'", priority: 1), Ct);
        await Node.Client.Configurations.CreateAsync(layerId, Settings(EdgeManifests.Layer("extra"), $"tags.site = '{site}'", priority: 10), Ct);

        var agent = await EventuallyAsync(() => Node.Client.Modules.GetTwinAsync(edge.DeviceId, "$edgeAgent", Ct),
            t => t["properties"]!["desired"]!["modules"]?["extra"] is not null && t["properties"]!["desired"]!["modules"]?["tempSensor"] is not null,
            "the agent's twin holds the base's module and the layer's");
        Assert.Equal("Applied", agent["configurations"]![baseId]!["status"]!.GetValue<string>());
        Assert.Equal("Applied", agent["configurations"]![layerId]!["status"]!.GetValue<string>());
        var hub = await Node.Client.Modules.GetTwinAsync(edge.DeviceId, "$edgeHub", Ct);
        Assert.Equal("FROM /messages/* INTO $upstream", hub["properties"]!["desired"]!["routes"]!["upstream"]!.GetValue<string>());

        await Node.Client.Configurations.DeleteAsync(layerId, cancellationToken: Ct);
        agent = await EventuallyAsync(() => Node.Client.Modules.GetTwinAsync(edge.DeviceId, "$edgeAgent", Ct),
            t => t["properties"]!["desired"]!["modules"]?["extra"] is null, "the layer's module goes");
        Assert.NotNull(agent["properties"]!["desired"]!["modules"]!["tempSensor"]);
        Assert.Null(agent["configurations"]![layerId]);
    }

    [Fact]
    public async Task ADeploymentsModuleContent_ReachesAModuleCreatedLater_AndGoesWithTheDeployment()
    {
        var site = NewId("site");
        var edge = await Node.Client.Devices.CreateAsync(NewId("edge"), new DeviceSettings(IsEdge: true), Ct);
        await TagAsync(edge.DeviceId, $$$"""{"site":"{{{site}}}"}""");
        var id = NewId("dep");
        var content = EdgeManifests.Base("tempSensor");
        var modules = new Dictionary<string, IReadOnlyDictionary<string, string>>(content.ModulesContent)
        {
            ["tempSensor"] = new Dictionary<string, string> { ["properties.desired"] = """{"SendInterval":5}""" },
        };
        await Node.Client.Configurations.CreateAsync(id, Settings(content with { ModulesContent = modules }, $"tags.site = '{site}'"), Ct);
        await EventuallyAsync(() => Node.Client.Modules.GetTwinAsync(edge.DeviceId, "$edgeAgent", Ct),
            t => t["configurations"]?[id] is not null, "the agent shows the deployment");

        // The edge agent creates the module when it starts it; its twin then asks its device for the deployments.
        await Node.Client.Modules.CreateAsync(edge.DeviceId, "tempSensor", cancellationToken: Ct);
        await EventuallyAsync(() => Node.Client.Modules.GetTwinAsync(edge.DeviceId, "tempSensor", Ct),
            t => t["properties"]!["desired"]!["SendInterval"]?.GetValue<int>() == 5, "the later module gets its content");

        await Node.Client.Configurations.DeleteAsync(id, cancellationToken: Ct);
        await EventuallyAsync(() => Node.Client.Modules.GetTwinAsync(edge.DeviceId, "tempSensor", Ct),
            t => t["properties"]!["desired"]!["SendInterval"] is null, "the module's content goes with the deployment");
        var agent = await EventuallyAsync(() => Node.Client.Modules.GetTwinAsync(edge.DeviceId, "$edgeAgent", Ct),
            t => t["configurations"] is null, "the agent's marker goes");
        Assert.Null(agent["properties"]!["desired"]!["modules"]);
    }

    [Fact]
    public async Task AnEdgeDeviceRetaggedOut_LosesTheDeployment()
    {
        var site = NewId("site");
        var edge = await Node.Client.Devices.CreateAsync(NewId("edge"), new DeviceSettings(IsEdge: true), Ct);
        await TagAsync(edge.DeviceId, $$$"""{"site":"{{{site}}}"}""");
        var id = NewId("out");
        await Node.Client.Configurations.CreateAsync(id, Settings(EdgeManifests.Base("tempSensor"), $"tags.site = '{site}'"), Ct);
        await EventuallyAsync(() => Node.Client.Modules.GetTwinAsync(edge.DeviceId, "$edgeHub", Ct),
            t => t["properties"]!["desired"]!["routes"] is not null, "the hub's twin gets its routes");

        await TagAsync(edge.DeviceId, """{"site":"elsewhere"}""");
        await EventuallyAsync(() => Node.Client.Modules.GetTwinAsync(edge.DeviceId, "$edgeHub", Ct),
            t => t["properties"]!["desired"]!["routes"] is null, "the hub's routes go when the device falls out");
        var agent = await Node.Client.Modules.GetTwinAsync(edge.DeviceId, "$edgeAgent", Ct);
        Assert.Null(agent["configurations"]);
        Assert.Null(agent["properties"]!["desired"]!["modules"]);
    }

    [Theory]
    [InlineData("tags.env = = 'x'", "targetCondition")]
    [InlineData("FROM devices.modules WHERE tags.x = 1", "targetCondition")]
    public async Task MalformedConditions_AreRefused_AndNothingIsStored(string condition, string field)
    {
        var id = NewId("bad");
        var error = await Assert.ThrowsAsync<DeviceFabricServiceException>(() =>
            Node.Client.Configurations.CreateAsync(id, Settings(DeviceContent(("properties.desired.x", "1")), condition), Ct));
        Assert.Equal(DeviceFabricErrorCode.ArgumentInvalid, error.ErrorCode);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
        var missing = await Assert.ThrowsAsync<DeviceFabricServiceException>(() => Node.Client.Configurations.GetAsync(id, Ct));
        Assert.Equal(DeviceFabricErrorCode.ConfigurationNotFound, missing.ErrorCode);
    }

    [Fact]
    public async Task ContentCannotChange_AndTestQueriesReportsErrorsInTheAnswer()
    {
        var id = NewId("fixed");
        var created = await Node.Client.Configurations.CreateAsync(id, Settings(DeviceContent(("properties.desired.x", "1")), "tags.never = 'matches'"), Ct);
        var changed = await Assert.ThrowsAsync<DeviceFabricServiceException>(() =>
            Node.Client.Configurations.UpdateAsync(id, Settings(DeviceContent(("properties.desired.x", "2")), "tags.never = 'matches'"), created.ETag, Ct));
        Assert.Contains("cannot be updated", changed.Message, StringComparison.Ordinal);
        var updated = await Node.Client.Configurations.UpdateAsync(id, Settings(DeviceContent(("properties.desired.x", "1")), "tags.other = 'x'", priority: 3), created.ETag, Ct);
        Assert.Equal((3, "tags.other = 'x'"), (updated.Priority, updated.TargetCondition));
        Assert.NotEqual(created.ETag, updated.ETag);

        var errors = await Node.Client.Configurations.TestQueriesAsync("tags.a = ", new Dictionary<string, string> { ["ok"] = "SELECT deviceId FROM devices", ["bad"] = "SELECT FROM" }, Ct);
        Assert.NotEmpty(errors.TargetConditionError);
        Assert.Empty(errors.CustomMetricQueryErrors["ok"]);
        Assert.NotEmpty(errors.CustomMetricQueryErrors["bad"]);
    }
}
