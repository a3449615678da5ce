using System.Text;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Api;

/// <summary>A node stopped and started again on the same data directory has every device, key and etag it had.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task Restart_KeepsDevicesKeysEtagsPoliciesAndCertificates()
    {
        var data = TestNode.NewDataDirectory();
        var ids = Enumerable.Range(0, 5).Select(i => $"restart-{i}").ToList();
        var before = new Dictionary<string, string>();
        string ownerConnectionString, ca;

        await using (var node = await TestNode.StartAsync(data))
        {
            using var http = node.CreateHttpClient();
            foreach (var id in ids)
            {
                var body = id.EndsWith('3') ? """{"status":"disabled"}""" : "{}";
                before[id] = (await ApiAssert.JsonAsync(await http.PutAsync($"/devices/{id}", new StringContent(body, Encoding.UTF8, "application/json")))).GetRawText();
            }

            ownerConnectionString = node.OwnerConnectionString;
            ca = await File.ReadAllTextAsync(node.CaPath);
        }

        await using (var node = await TestNode.StartAsync(data))
        {
            Assert.Equal(ownerConnectionString, node.OwnerConnectionString);
            Assert.Equal(ca, await File.ReadAllTextAsync(node.CaPath));
            using var http = node.CreateHttpClient();
            foreach (var id in ids)
            {
                Assert.Equal(before[id], (await ApiAssert.JsonAsync(await http.GetAsync($"/devices/{id}"))).GetRawText());
            }

            var listed = await ApiAssert.JsonAsync(await http.GetAsync("/devices"));
            Assert.Equal(ids, listed.EnumerateArray().Select(d => d.GetProperty("deviceId").GetString()));
            var stats = await ApiAssert.JsonAsync(await http.GetAsync("/statistics/devices"));
            Assert.Equal(1, stats.GetProperty("disabledDeviceCount").GetInt64());
        }
    }

    [Fact]
    public async Task GrainClientSdk_ConnectsToASingleNodesGateway_AndSeesWhatRestCreated()
    {
        await using var node = await TestNode.StartAsync();
        using var http = node.CreateHttpClient();
        await ApiAssert.JsonAsync(await http.PutAsync("/devices/sdk-sees-me", new StringContent("""{"status":"disabled"}""", Encoding.UTF8, "application/json")));

        await using var client = await DeviceFabric.Client.DeviceFabricClient.ConnectAsync(
            new DeviceFabric.Client.DeviceFabricClientOptions { GatewayPort = node.GatewayPort }, TestContext.Current.CancellationToken);
        var device = await client.Devices.GetAsync("sdk-sees-me", TestContext.Current.CancellationToken);
        Assert.Equal(DeviceFabric.Devices.DeviceStatus.Disabled, device.Status);
        Assert.Equal(1, (await client.Devices.GetStatisticsAsync(TestContext.Current.CancellationToken)).TotalDeviceCount);
    }
}
