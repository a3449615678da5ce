using System.Security.Cryptography;
using System.Text;
using DeviceFabric.Tests.Provisioning;

namespace DeviceFabric.Tests.Cli;

/// <summary><c>devicefabric dps</c>: enrollments, enrollment groups, derived device keys and registration records, run as processes.</summary>
public sealed class ManagementDpsTests(ManagementCliFixture fixture) : IClassFixture<ManagementCliFixture>
{
    private string IdScope => File.ReadAllText(Path.Combine(fixture.Node.DataDirectory, "provisioning-id-scope.txt")).Trim();

    [Fact]
    public async Task SymmetricKeyEnrollment_IsCreatedListedShownUpdatedAndDeleted()
    {
        var id = ManagementCliFixture.NewId("cli-enr");
        var created = await fixture.JsonAsync("dps", "enrollment", "create", "--registration-id", id, "--attestation-type", "symmetrickey", "--device-id", id + "-dev",
            "--initial-twin", """{"tags":{"site":"cli"}}""", "--iot-hubs", "localhost");
        Assert.Equal(id, (string?)created["registrationId"]);
        Assert.Equal(id + "-dev", (string?)created["deviceId"]);
        Assert.Equal("symmetricKey", (string?)created["attestation"]!["type"]);
        Assert.Null(created["attestation"]!["symmetricKey"]!["primaryKey"]); // keys only with --show-keys
        Assert.Equal("cli", (string?)created["initialTwin"]!["tags"]!["site"]);

        var table = await fixture.TableAsync("dps", "enrollment", "list");
        Assert.Contains("RegistrationId", table, StringComparison.Ordinal);
        Assert.Contains(id, table, StringComparison.Ordinal);

        var shown = await fixture.JsonAsync("dps", "enrollment", "show", "--registration-id", id, "--show-keys");
        var key = (string)shown["attestation"]!["symmetricKey"]!["primaryKey"]!;
        Assert.Equal(64, Convert.FromBase64String(key).Length);

        var updated = await fixture.JsonAsync("dps", "enrollment", "update", "--registration-id", id, "--provisioning-status", "disabled", "--show-keys");
        Assert.Equal("disabled", (string?)updated["provisioningStatus"]);
        Assert.Equal(key, (string?)updated["attestation"]!["symmetricKey"]!["primaryKey"]); // what was not given stays
        Assert.Equal("cli", (string?)updated["initialTwin"]!["tags"]!["site"]);

        await fixture.SucceedsAsync("dps", "enrollment", "delete", "--registration-id", id);
        var missing = await CliRunner.RunAsync(fixture.Node, "dps", "enrollment", "show", "--registration-id", id);
        Assert.True(missing.ExitCode == 1, missing.ToString());
        Assert.StartsWith("error: ", missing.Error, StringComparison.Ordinal);
        Assert.Contains($"No enrollment for {id}", missing.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, missing.Output);
    }

    [Fact]
    public async Task ComputeDeviceKey_IsTheHmacOfTheRegistrationId_AndTheDeviceProvisionsWithIt()
    {
        var group = ManagementCliFixture.NewId("cli-grp");
        var device = ManagementCliFixture.NewId("cli-member");
        var created = await fixture.JsonAsync("dps", "enrollment-group", "create", "--enrollment-id", group, "--show-keys");
        var groupKey = (string)created["attestation"]!["symmetricKey"]!["primaryKey"]!;
        var expected = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(groupKey), Encoding.UTF8.GetBytes(device)));

        Assert.Equal(expected, (string?)await fixture.JsonAsync("dps", "enrollment-group", "compute-device-key", "--key", groupKey, "--registration-id", device));
        var derived = (string?)await fixture.JsonAsync("dps", "enrollment-group", "compute-device-key", "--enrollment-id", group, "--registration-id", device);
        Assert.Equal(expected, derived);

        var (result, dps) = await DpsDevice.ConnectAsync(fixture.Node, IdScope, device, DpsDevice.Token(IdScope, device, derived!));
        Assert.Equal(MQTTnet.MqttClientConnectResultCode.Success, result);
        await using (dps)
        {
            var (status, body) = await dps!.RegisterAsync(device);
            Assert.True(status == 200, body.ToString());
        }

        var record = await fixture.JsonAsync("dps", "registration", "show", "--registration-id", device);
        Assert.Equal("assigned", (string?)record["status"]);
        Assert.Equal(group, (string?)record["symmetricKey"]!["enrollmentGroupId"]);
        Assert.Contains(device, await fixture.TableAsync("dps", "registration", "list", "--enrollment-id", group), StringComparison.Ordinal);
        Assert.Contains(group, await fixture.TableAsync("dps", "enrollment-group", "list"), StringComparison.Ordinal);

        await fixture.SucceedsAsync("dps", "registration", "delete", "--registration-id", device);
        await fixture.SucceedsAsync("dps", "enrollment-group", "delete", "--enrollment-id", group);
        var gone = await CliRunner.RunAsync(fixture.Node, "dps", "enrollment-group", "show", "--enrollment-id", group);
        Assert.True(gone.ExitCode == 1, gone.ToString());
    }

    [Fact]
    public async Task BadUsage_ExitsTwo_WithoutCallingTheService()
    {
        var result = await CliRunner.RunAsync(fixture.Node, "dps", "enrollment", "create", "--registration-id", "x", "--attestation-type", "tpm");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("symmetrickey or x509", result.Error, StringComparison.Ordinal);
    }
}
