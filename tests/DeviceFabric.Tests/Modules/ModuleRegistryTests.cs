using DeviceFabric.Client;
using DeviceFabric.Devices;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Modules;

/// <summary>Module identities in the registry: IoT Hub's limits and ids, the edge runtime's modules, and module queries.</summary>
public sealed class ModuleRegistryTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string NewId(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task ADevice_HoldsFiftyModules_AndTheFiftyFirstIsRefused_AndQueriesPageThroughThem()
    {
        var device = await Node.Client.Devices.CreateAsync(NewId("many"), cancellationToken: Ct);
        for (var i = 0; i < DeviceFabric.Modules.ModuleIds.MaxPerDevice; i++)
        {
            await Node.Client.Modules.CreateAsync(device.DeviceId, $"m{i:D2}", cancellationToken: Ct);
        }

        var error = await Assert.ThrowsAsync<DeviceFabricServiceException>(() => Node.Client.Modules.CreateAsync(device.DeviceId, "m50", cancellationToken: Ct));
        Assert.Equal(DeviceFabricErrorCode.TooManyModulesOnDevice, error.ErrorCode);
        Assert.Equal(50, (await Node.Client.Modules.ListAsync(device.DeviceId, Ct)).Count);

        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await Node.Client.Query.QueryPageAsync($"SELECT * FROM devices.modules WHERE deviceId = '{device.DeviceId}'", 20, token, Ct);
            seen.AddRange(page.Items.Select(i => System.Text.Json.Nodes.JsonNode.Parse(i)!["moduleId"]!.GetValue<string>()));
            token = page.ContinuationToken;
        }
        while (token is not null);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"m{i:D2}"), seen);

        // The device's own rows are not modules, and a device query does not list modules.
        var devices = await Node.Client.Query.QueryPageAsync($"SELECT deviceId FROM devices WHERE deviceId = '{device.DeviceId}'", 100, null, Ct);
        Assert.Single(devices.Items);
    }

    [Theory]
    [InlineData("$custom")]
    [InlineData("$edgeAgent")]
    [InlineData("has/slash")]
    [InlineData("")]
    public async Task ReservedOrInvalidModuleIds_AreRefused(string moduleId)
    {
        var device = await Node.Client.Devices.CreateAsync(NewId("ids"), cancellationToken: Ct);
        var error = await Assert.ThrowsAsync<DeviceFabricServiceException>(() => Node.Client.Modules.CreateAsync(device.DeviceId, moduleId, cancellationToken: Ct));
        Assert.Equal(DeviceFabricErrorCode.ArgumentInvalid, error.ErrorCode);
        Assert.Empty(await Node.Client.Modules.ListAsync(device.DeviceId, Ct));
    }

    [Fact]
    public async Task AnEdgeDevice_GetsTheRuntimesModules_AndADeviceThatBecomesOneToo()
    {
        var edge = await Node.Client.Devices.CreateAsync(NewId("edge"), new DeviceSettings(IsEdge: true), Ct);
        var modules = await Node.Client.Modules.ListAsync(edge.DeviceId, Ct);
        Assert.Equal([$"{edge.DeviceId}/$edgeAgent", $"{edge.DeviceId}/$edgeHub"], modules.Select(m => m.DeviceId));
        Assert.All(modules, m => Assert.False(string.IsNullOrEmpty(m.Authentication.PrimaryKey)));

        var plain = await Node.Client.Devices.CreateAsync(NewId("plain"), cancellationToken: Ct);
        Assert.Empty(await Node.Client.Modules.ListAsync(plain.DeviceId, Ct));
        await Node.Client.Devices.UpdateAsync(plain.DeviceId, new DeviceSettings(Authentication: plain.Authentication, IsEdge: true), cancellationToken: Ct);
        Assert.Equal(2, (await Node.Client.Modules.ListAsync(plain.DeviceId, Ct)).Count);

        // The runtime's modules go with their device.
        await Node.Client.Devices.DeleteAsync(edge.DeviceId, cancellationToken: Ct);
        var page = await Node.Client.Query.QueryPageAsync($"SELECT * FROM devices.modules WHERE deviceId = '{edge.DeviceId}'", 100, null, Ct);
        Assert.Empty(page.Items);
    }

    [Fact]
    public async Task ModuleTwin_CarriesItsIds_AndTakesTagsAndDesired_WithEtags()
    {
        var device = await Node.Client.Devices.CreateAsync(NewId("twin"), cancellationToken: Ct);
        await Node.Client.Modules.CreateAsync(device.DeviceId, "sensor", cancellationToken: Ct);
        var twin = await Node.Client.Modules.GetTwinAsync(device.DeviceId, "sensor", Ct);
        Assert.Equal(device.DeviceId, twin["deviceId"]!.GetValue<string>());
        Assert.Equal("sensor", twin["moduleId"]!.GetValue<string>());

        var patch = System.Text.Json.Nodes.JsonNode.Parse("""{"tags":{"role":"filter"},"properties":{"desired":{"rate":5}}}""")!.AsObject();
        var updated = await Node.Client.Modules.UpdateTwinAsync(device.DeviceId, "sensor", patch, twin["etag"]!.GetValue<string>(), Ct);
        Assert.Equal(5, updated["properties"]!["desired"]!["rate"]!.GetValue<int>());
        var stale = await Assert.ThrowsAsync<DeviceFabricServiceException>(() =>
            Node.Client.Modules.UpdateTwinAsync(device.DeviceId, "sensor", patch, twin["etag"]!.GetValue<string>(), Ct));
        Assert.Equal(DeviceFabricErrorCode.PreconditionFailed, stale.ErrorCode);

        var query = await Node.Client.Query.QueryPageAsync($"SELECT deviceId, moduleId FROM devices.modules WHERE tags.role = 'filter' AND deviceId = '{device.DeviceId}'", 10, null, Ct);
        Assert.Equal($$"""{"deviceId":"{{device.DeviceId}}","moduleId":"sensor"}""", Assert.Single(query.Items));

        // The device's own twin is untouched by its module's.
        var deviceTwin = await Node.Client.Twins.GetAsync(device.DeviceId, Ct);
        Assert.Null(deviceTwin["tags"]!["role"]);
    }
}
