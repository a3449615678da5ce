using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using DeviceFabric.Client;
using DeviceFabric.Security;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;

namespace DeviceFabric.Tests.Hubs;

/// <summary>
/// One fabric, two hubs: each has its own registry, policies and keys, the host a client names picks the hub, and
/// nothing of one hub is reachable with the other's credentials, over REST, MQTT or the grain client SDK.
/// </summary>
public sealed class SeveralHubsTests : IAsyncLifetime
{
    private const string SecondHub = "factory-b";
    private const string SecondHost = "factory-b.example";
    private TestNode _node = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _node = await TestNode.StartAsync(settings: new Dictionary<string, string?>
        {
            ["DeviceFabric:Hubs:0:Name"] = "devicefabric",
            ["DeviceFabric:Hubs:0:HostName"] = "localhost",
            ["DeviceFabric:Hubs:1:Name"] = SecondHub,
            ["DeviceFabric:Hubs:1:HostName"] = SecondHost,
        });
        _node.Logs.Expect("Refused a service token").Expect("Refused MQTT connect");
    }

    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    private string SecondOwnerConnectionString => File.ReadAllText(Path.Combine(_node.DataDirectory, $"owner-connection-string.{SecondHub}.txt"));

    [Fact]
    public void EachHub_HasItsOwnKeys_AndTheServerCertificateCoversItsHost()
    {
        var first = ServiceToken.ParseConnectionString(_node.OwnerConnectionString);
        var second = ServiceToken.ParseConnectionString(SecondOwnerConnectionString);
        Assert.Equal("localhost", first["HostName"]);
        Assert.Equal(SecondHost, second["HostName"]);
        Assert.NotEqual(first["SharedAccessKey"], second["SharedAccessKey"]);

        using var server = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(_node.DataDirectory, "certs", "server.pem"));
        Assert.True(server.MatchesHostname(SecondHost));
        Assert.True(server.MatchesHostname("localhost"));
    }

    [Fact]
    public async Task OneDeviceIdInEachHub_AreTwoDevices_AndOneHubsTokenReachesNothingOfTheOther()
    {
        using var first = _node.CreateHttpClient();
        using var second = _node.CreateHttpClient(ServiceToken.FromConnectionString(SecondOwnerConnectionString));
        var id = "twin-of-" + Guid.NewGuid().ToString("N")[..8];
        var onlyFirst = "only-first-" + Guid.NewGuid().ToString("N")[..8];
        var inFirst = await ApiAssert.JsonAsync(await first.PutAsync($"/devices/{id}", Json("{}"), Ct));
        var inSecond = await ApiAssert.JsonAsync(await second.PutAsync($"/devices/{id}", Json("{}"), Ct));
        await ApiAssert.JsonAsync(await first.PutAsync($"/devices/{onlyFirst}", Json("{}"), Ct));
        Assert.NotEqual(PrimaryKey(inFirst), PrimaryKey(inSecond));

        // The second hub does not see the first hub's device, and its count is its own.
        await ApiAssert.ErrorAsync(await second.GetAsync($"/devices/{onlyFirst}", Ct), HttpStatusCode.NotFound, "DeviceNotFound", 404001);
        var stats = await ApiAssert.JsonAsync(await second.GetAsync("/statistics/devices", Ct));
        Assert.Equal(1, stats.GetProperty("totalDeviceCount").GetInt64());

        // The first hub's owner key, put to the second hub's host, is refused and creates nothing there.
        var firstKey = ServiceToken.ParseConnectionString(_node.OwnerConnectionString)["SharedAccessKey"];
        using var crossed = _node.CreateHttpClient(SharedAccessSignature.Create(SecondHost, firstKey, "iothubowner", DateTimeOffset.UtcNow.AddHours(1)));
        await ApiAssert.ErrorAsync(await crossed.PutAsync($"/devices/{onlyFirst}", Json("{}"), Ct), HttpStatusCode.Unauthorized, "IotHubUnauthorizedAccess", 401002);
        await ApiAssert.ErrorAsync(await second.GetAsync($"/devices/{onlyFirst}", Ct), HttpStatusCode.NotFound, "DeviceNotFound", 404001);

        // Over MQTT: the username's host picks the hub; each device's key works in its own hub only.
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, await ConnectAsync(id, PrimaryKey(inFirst), SecondHost));
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, await ConnectAsync(id, PrimaryKey(inSecond), "localhost"));
        Assert.Equal(MqttClientConnectResultCode.Success, await ConnectAsync(id, PrimaryKey(inSecond), SecondHost));
        Assert.Equal(MqttClientConnectResultCode.Success, await ConnectAsync(id, PrimaryKey(inFirst), "localhost"));

        // The grain client SDK names its hub.
        var sdk = new DeviceFabricClient(_node.Services.GetRequiredService<IClusterClient>(), SecondHub);
        Assert.Equal(PrimaryKey(inSecond), (await sdk.Devices.GetAsync(id, Ct)).Authentication.PrimaryKey);
        var missing = await Assert.ThrowsAsync<DeviceFabricServiceException>(() => sdk.Devices.GetAsync(onlyFirst, Ct));
        Assert.Equal(DeviceFabricErrorCode.DeviceNotFound, missing.ErrorCode);
    }

    private async Task<MqttClientConnectResultCode> ConnectAsync(string deviceId, string key, string host)
    {
        var (client, result) = await MqttDevice.ConnectAsync(_node, deviceId, MqttDevice.Token(deviceId, key, host: host), username: MqttDevice.Username(deviceId, host));
        client.Dispose();
        return result.ResultCode;
    }

    private static string PrimaryKey(JsonElement device) =>
        device.GetProperty("authentication").GetProperty("symmetricKey").GetProperty("primaryKey").GetString()!;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
