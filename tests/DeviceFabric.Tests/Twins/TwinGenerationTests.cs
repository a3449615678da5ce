using System.Text.Json.Nodes;
using DeviceFabric.Client;
using DeviceFabric.Devices;
using DeviceFabric.Tests.Infrastructure;
using DeviceFabric.Twins;

namespace DeviceFabric.Tests.Twins;

/// <summary>
/// Device-side twin calls use the generation the twin keeps instead of asking the device each time; the device tells the
/// twin when that generation ends, so a deleted device's twin refuses patches and a re-created one starts fresh.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TwinGenerationTests(ClusterFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DeviceFabricClient Client => fixture.Client;

    private ITwinSessionGrain Twin(string id) => fixture.Cluster.Client.GetGrain<ITwinSessionGrain>(DeviceKey.Create("devicefabric", id));

    [Fact]
    public async Task ReportedPatch_AfterDelete_IsNotFound_AndAfterRecreate_StartsAFreshTwin()
    {
        var id = "gen-" + Guid.NewGuid().ToString("N")[..12];
        await Client.Devices.CreateAsync(id, cancellationToken: Ct);
        Assert.Equal(2, await Twin(id).PatchReportedAsync("""{"old":1}"""u8.ToArray(), Ct));

        await Client.Devices.DeleteAsync(id, cancellationToken: Ct);
        var error = await Assert.ThrowsAsync<DeviceFabricException>(() => Twin(id).PatchReportedAsync("""{"late":1}"""u8.ToArray(), Ct));
        Assert.Equal(DeviceFabricErrorCode.DeviceNotFound, error.Code);

        await Client.Devices.CreateAsync(id, cancellationToken: Ct);
        Assert.Equal(2, await Twin(id).PatchReportedAsync("""{"new":1}"""u8.ToArray(), Ct));
        var reported = JsonNode.Parse(await Twin(id).GetPropertiesAsync(null, Ct))!["reported"]!.AsObject();
        Assert.Equal("""{"new":1,"$version":2}""", reported.ToJsonString());
    }

    [Fact]
    public async Task TwinThatKnowsItsDevice_FollowsADeleteAndRecreateMadeWithoutIt()
    {
        var id = "gen-" + Guid.NewGuid().ToString("N")[..12];
        await Client.Devices.CreateAsync(id, cancellationToken: Ct);
        await Twin(id).PatchReportedAsync("""{"old":1}"""u8.ToArray(), Ct);

        // The twin is not called between the delete and the re-creation: only the device's word tells it.
        await Client.Devices.DeleteAsync(id, cancellationToken: Ct);
        await Client.Devices.CreateAsync(id, cancellationToken: Ct);

        Assert.Equal(2, await Twin(id).PatchReportedAsync("""{"new":1}"""u8.ToArray(), Ct));
        var reported = JsonNode.Parse(await Twin(id).GetPropertiesAsync(null, Ct))!["reported"]!.AsObject();
        Assert.Equal("""{"new":1,"$version":2}""", reported.ToJsonString());
    }
}
