using System.Net;
using System.Text;
using System.Text.Json;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Provisioning;

/// <summary>
/// One node with two hubs (<c>devicefabric</c> at <c>localhost</c>, weight 1, and <c>plant-b</c> at
/// <c>plant-b.example</c>, weight 3) and its provisioning service; each test uses its own ids.
/// </summary>
public sealed class ProvisioningFixture : IAsyncLifetime
{
    public const string SecondHub = "plant-b";
    public const string SecondHost = "plant-b.example";

    internal TestNode Node { get; private set; } = null!;

    /// <summary>The provisioning service's ID scope, as the node saved it for devices.</summary>
    public string IdScope => File.ReadAllText(Path.Combine(Node.DataDirectory, "provisioning-id-scope.txt"));

    public string ProvisioningConnectionString => File.ReadAllText(Path.Combine(Node.DataDirectory, "provisioning-connection-string.txt"));

    public async ValueTask InitializeAsync()
    {
        Node = await TestNode.StartAsync(settings: new Dictionary<string, string?>
        {
            ["DeviceFabric:Hubs:0:Name"] = "devicefabric",
            ["DeviceFabric:Hubs:0:HostName"] = "localhost",
            ["DeviceFabric:Hubs:1:Name"] = SecondHub,
            ["DeviceFabric:Hubs:1:HostName"] = SecondHost,
            ["DeviceFabric:Hubs:1:AllocationWeight"] = "3",

            // A webhook that never answers fails its registration after this long, past AnswerWithin: the device polls.
            ["DeviceFabric:Provisioning:CustomAllocationTimeout"] = "00:00:03",
        });
        Node.Logs.Expect("Refused MQTT connect").Expect("Refused a provisioning service token").Expect("Refused a service token");
    }

    public async ValueTask DisposeAsync() => await Node.DisposeAsync();

    /// <summary>An HTTPS client with the provisioning service owner's token.</summary>
    internal HttpClient Service() => Node.CreateHttpClient(ServiceToken.FromConnectionString(ProvisioningConnectionString));

    /// <summary>PUTs an enrollment (or group, by <paramref name="path"/>) and returns what the service stored.</summary>
    internal async Task<JsonElement> PutAsync(string path, string json)
    {
        using var http = Service();
        var response = await http.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"PUT {path}: {response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Connects and registers with a symmetric key; fails the test unless the connect is accepted.</summary>
    internal async Task<(int Status, JsonElement Body)> RegisterAsync(string registrationId, string key, string? payloadJson = null)
    {
        var (result, device) = await DpsDevice.ConnectAsync(Node, IdScope, registrationId, DpsDevice.Token(IdScope, registrationId, key));
        Assert.Equal(MQTTnet.MqttClientConnectResultCode.Success, result);
        await using (device)
        {
            return await device!.RegisterAsync(registrationId, payloadJson);
        }
    }

    public static string NewId(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];
}
