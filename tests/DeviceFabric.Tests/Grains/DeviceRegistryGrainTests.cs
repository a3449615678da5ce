using DeviceFabric.Client;
using DeviceFabric.Devices;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Grains;

/// <summary>The device and registry grains through the grain client SDK on a two-silo test cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DeviceRegistryGrainTests(ClusterFixture fixture)
{
    private readonly DeviceRegistryClient _devices = fixture.Client.Devices;

    private static string NewId() => "dev-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Create_GeneratesKeysGenerationIdAndEtag()
    {
        var id = NewId();
        var device = await _devices.CreateAsync(id);

        Assert.Equal(id, device.DeviceId);
        Assert.Equal(DeviceStatus.Enabled, device.Status);
        Assert.Equal(DeviceAuthenticationType.Sas, device.Authentication.Type);
        Assert.Equal(32, Convert.FromBase64String(device.Authentication.PrimaryKey!).Length);
        Assert.NotEqual(device.Authentication.PrimaryKey, device.Authentication.SecondaryKey);
        Assert.Matches("^[0-9]{18}$", device.GenerationId);
        Assert.Equal(device, await _devices.GetAsync(id));
    }

    [Fact]
    public async Task Create_Twice_FailsWithAlreadyExistsAndKeepsTheFirst()
    {
        var id = NewId();
        var first = await _devices.CreateAsync(id);

        var error = await Assert.ThrowsAsync<DeviceFabricServiceException>(() => _devices.CreateAsync(id, new DeviceSettings(DeviceStatus.Disabled)));
        Assert.Equal(DeviceFabricErrorCode.DeviceAlreadyExists, error.ErrorCode);
        Assert.Equal(409, error.StatusCode);
        Assert.Equal(first, await _devices.GetAsync(id));
    }

    [Fact]
    public async Task Update_WithStaleEtag_FailsAndChangesNothing()
    {
        var id = NewId();
        var created = await _devices.CreateAsync(id);
        var updated = await _devices.UpdateAsync(id, new DeviceSettings(DeviceStatus.Disabled, "maintenance"), created.ETag);
        Assert.NotEqual(created.ETag, updated.ETag);
        Assert.Equal("maintenance", updated.StatusReason);

        var error = await Assert.ThrowsAsync<DeviceFabricServiceException>(() =>
            _devices.UpdateAsync(id, new DeviceSettings(DeviceStatus.Enabled), created.ETag));
        Assert.Equal(DeviceFabricErrorCode.PreconditionFailed, error.ErrorCode);
        Assert.Equal(updated, await _devices.GetAsync(id));
    }

    [Fact]
    public async Task Update_WithEmptyKeys_KeepsTheCurrentKeys()
    {
        var id = NewId();
        var created = await _devices.CreateAsync(id);
        var updated = await _devices.UpdateAsync(id, new DeviceSettings(DeviceStatus.Disabled), "\"*\"");
        Assert.Equal(created.Authentication, updated.Authentication);
    }

    [Fact]
    public async Task Update_WithBadKey_IsRefusedWhole()
    {
        var id = NewId();
        var created = await _devices.CreateAsync(id);
        var bad = new DeviceSettings(DeviceStatus.Disabled, null, new DeviceAuthentication(DeviceAuthenticationType.Sas, "c2hvcnQ=", null));

        var error = await Assert.ThrowsAsync<DeviceFabricServiceException>(() => _devices.UpdateAsync(id, bad));
        Assert.Equal(DeviceFabricErrorCode.ArgumentInvalid, error.ErrorCode);
        Assert.Equal(created, await _devices.GetAsync(id));
    }

    [Fact]
    public async Task SelfSigned_NeedsAHexThumbprint()
    {
        var thumbprint = new string('a', 40);
        var device = await _devices.CreateAsync(NewId(), new DeviceSettings(Authentication: new DeviceAuthentication(DeviceAuthenticationType.SelfSigned, PrimaryThumbprint: thumbprint)));
        Assert.Equal(thumbprint.ToUpperInvariant(), device.Authentication.PrimaryThumbprint);
        Assert.Null(device.Authentication.PrimaryKey);

        var error = await Assert.ThrowsAsync<DeviceFabricServiceException>(() => _devices.CreateAsync(
            NewId(), new DeviceSettings(Authentication: new DeviceAuthentication(DeviceAuthenticationType.SelfSigned, PrimaryThumbprint: "xyz"))));
        Assert.Equal(DeviceFabricErrorCode.ArgumentInvalid, error.ErrorCode);
    }

    [Fact]
    public async Task Delete_ThenRecreate_GetsANewGenerationAndEtag()
    {
        var id = NewId();
        var first = await _devices.CreateAsync(id);
        await _devices.DeleteAsync(id, first.ETag);

        var missing = await Assert.ThrowsAsync<DeviceFabricServiceException>(() => _devices.GetAsync(id));
        Assert.Equal(DeviceFabricErrorCode.DeviceNotFound, missing.ErrorCode);

        var second = await _devices.CreateAsync(id);
        Assert.NotEqual(first.GenerationId, second.GenerationId);
        Assert.NotEqual(first.ETag, second.ETag);
    }

    [Fact]
    public async Task InvalidId_IsRefusedBeforeReachingTheFabric()
    {
        var error = await Assert.ThrowsAsync<DeviceFabricServiceException>(() => _devices.CreateAsync("bad/id"));
        Assert.Equal(DeviceFabricErrorCode.DeviceIdInvalid, error.ErrorCode);
        Assert.Equal(400, error.StatusCode);
    }

    [Fact]
    public async Task ListAndStatistics_SeeEveryDeviceOfTheHubOnly()
    {
        var hub = "list-" + Guid.NewGuid().ToString("N")[..8];
        var client = new DeviceFabricClient(fixture.Cluster.Client, hub);
        var ids = Enumerable.Range(0, 25).Select(i => $"d{i:D3}").ToList();
        await Task.WhenAll(ids.Select(id => client.Devices.CreateAsync(id)));
        await client.Devices.UpdateAsync("d007", new DeviceSettings(DeviceStatus.Disabled));
        await client.Devices.DeleteAsync("d010");

        var listed = new List<string>();
        string? token = null;
        do
        {
            var page = await client.Devices.ListAsync(pageSize: 7, token);
            Assert.True(page.Devices.Count <= 7);
            listed.AddRange(page.Devices.Select(d => d.DeviceId));
            token = page.ContinuationToken;
        }
        while (token is not null);

        Assert.Equal(ids.Where(i => i != "d010"), listed);
        Assert.Equal(new DeviceFabric.Registry.RegistryStatistics(24, 23, 1), await client.Devices.GetStatisticsAsync());
    }
}
