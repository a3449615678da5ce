using DeviceFabric.Devices;
using DeviceFabric.RestClient;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;
using MQTTnet;

namespace DeviceFabric.Tests.Cli;

/// <summary><c>devicefabric device-identity</c> and <c>module-identity</c> run as processes against a real node.</summary>
public sealed class HubDeviceIdentityTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task CreateShowListUpdate_ThenTheConnectionStringConnectsTheDevice()
    {
        var id = NewId("cli-dev");
        var created = await CliRunner.JsonAsync(Node, "device-identity", "create", "-d", id);
        Assert.Equal(id, (string?)created!["deviceId"]);
        Assert.Equal("sas", (string?)created["authentication"]!["type"]);
        Assert.Null(created["authentication"]!["symmetricKey"]); // keys are printed by connection-string show only

        var shown = await CliRunner.JsonAsync(Node, "device-identity", "show", "-d", id);
        Assert.Equal("enabled", (string?)shown!["status"]);

        var table = await CliRunner.RunAsync(Node, "device-identity", "list", "--output", "table");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("DeviceId", table.Output, StringComparison.Ordinal);
        Assert.Contains("ConnectionState", table.Output, StringComparison.Ordinal);
        Assert.Contains(id, table.Output, StringComparison.Ordinal);

        var disabled = await CliRunner.JsonAsync(Node, "device-identity", "update", "-d", id, "--status", "disabled", "--status-reason", "maintenance");
        Assert.Equal("disabled", (string?)disabled!["status"]);
        Assert.Equal("maintenance", (string?)disabled["statusReason"]);
        Assert.Equal(DeviceStatus.Disabled, (await Node.Client.Devices.GetAsync(id, TestContext.Current.CancellationToken))!.Status);
        await CliRunner.JsonAsync(Node, "device-identity", "update", "-d", id, "--status", "enabled");

        var connectionString = ServiceConnectionString.Parse(await CliRunner.LineAsync(Node, "device-identity", "connection-string", "show", "-d", id));
        Assert.Equal(id, connectionString.DeviceId);
        Assert.Equal(ServiceConnectionString.Parse(Node.OwnerConnectionString).HostName, connectionString.HostName);
        var (client, result) = await MqttDevice.ConnectAsync(Node, id, MqttDevice.Token(id, connectionString.SharedAccessKey, host: connectionString.Host));
        using var _ = client;
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
    }

    [Fact]
    public async Task RenewKeySwap_MakesTheSecondaryKeyThePrimary()
    {
        var id = NewId("cli-swap");
        await CliRunner.JsonAsync(Node, "device-identity", "create", "-d", id);
        var secondary = ServiceConnectionString.Parse(await CliRunner.LineAsync(Node, "device-identity", "connection-string", "show", "-d", id, "--key-type", "secondary"));

        await CliRunner.JsonAsync(Node, "device-identity", "renew-key", "-d", id, "--key-type", "swap");

        var primary = ServiceConnectionString.Parse(await CliRunner.LineAsync(Node, "device-identity", "connection-string", "show", "-d", id));
        Assert.Equal(secondary.SharedAccessKey, primary.SharedAccessKey);
    }

    [Fact]
    public async Task ShowOfAMissingDevice_Exits1WithDeviceNotFound()
    {
        var result = await CliRunner.RunAsync(Node, "device-identity", "show", "-d", NewId("missing"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("DeviceNotFound", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task ABadLogin_Exits2()
    {
        var result = await CliRunner.RunAsync(Node, "device-identity", "list", "--login", "HostName=localhost;SharedAccessKey=not base64!");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("connection string is not valid", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("not base64!", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BulkCreateImportAndSetStatus_ReachEveryDevice()
    {
        var prefix = NewId("blk")[..12];
        var created = await CliRunner.JsonAsync(Node, "device-identity", "bulk", "create", "--count", "3", "--prefix", prefix);
        Assert.Equal(3, (int)created!["succeeded"]!);

        var file = Path.Combine(Node.DataDirectory, $"{prefix}.json");
        await File.WriteAllLinesAsync(file, [$$"""{"id":"{{prefix}}-imported","status":"disabled"}""", $$"""{"id":"{{prefix}}-0001","importMode":"delete"}"""], TestContext.Current.CancellationToken);
        var imported = await CliRunner.JsonAsync(Node, "device-identity", "import", "--file", file);
        Assert.Equal(2, (int)imported!["succeeded"]!);

        var keyBefore = await CliRunner.LineAsync(Node, "device-identity", "connection-string", "show", "-d", $"{prefix}-0002");
        var disabled = await CliRunner.JsonAsync(Node, "device-identity", "bulk", "set-status", "--query", $"STARTSWITH(deviceId, '{prefix}-')", "--status", "disabled");
        Assert.Equal(3, (int)disabled!["total"]!);
        var devices = (await CliRunner.JsonAsync(Node, "query", "-q", $"SELECT * FROM devices WHERE STARTSWITH(deviceId, '{prefix}-')"))!.AsArray();
        Assert.Equal([$"{prefix}-0002", $"{prefix}-0003", $"{prefix}-imported"], devices.Select(d => (string?)d!["deviceId"]).Order(StringComparer.Ordinal));
        Assert.All(devices, d => Assert.Equal("disabled", (string?)d!["status"]));
        // The status changed, not the keys.
        Assert.Equal(keyBefore, await CliRunner.LineAsync(Node, "device-identity", "connection-string", "show", "-d", $"{prefix}-0002"));
    }

    [Fact]
    public async Task ModuleIdentity_CreateListShow_AndAModuleTokenConnectsTheModule()
    {
        var device = NewId("cli-mod");
        await CliRunner.JsonAsync(Node, "device-identity", "create", "-d", device);
        var module = await CliRunner.JsonAsync(Node, "module-identity", "create", "-d", device, "-m", "sensor");
        Assert.Equal("sensor", (string?)module!["moduleId"]);
        var list = await CliRunner.RunAsync(Node, "module-identity", "list", "-d", device, "-o", "table");
        Assert.Contains("sensor", list.Output, StringComparison.Ordinal);

        var connectionString = ServiceConnectionString.Parse(await CliRunner.LineAsync(Node, "module-identity", "connection-string", "show", "-d", device, "-m", "sensor"));
        Assert.Equal("sensor", connectionString.ModuleId);
        var token = await CliRunner.LineAsync(Node, "generate-sas-token", "-d", device, "-m", "sensor", "--duration", "600");
        var (client, result) = await MqttDevice.ConnectAsync(
            Node, device, token, username: $"localhost/{device}/sensor/?api-version=2021-04-12", clientId: $"{device}/sensor");
        using var _ = client;
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);

        Assert.Equal(0, (await CliRunner.RunAsync(Node, "module-identity", "delete", "-d", device, "-m", "sensor")).ExitCode);
        Assert.Equal(1, (await CliRunner.RunAsync(Node, "module-identity", "show", "-d", device, "-m", "sensor")).ExitCode);
    }
}
