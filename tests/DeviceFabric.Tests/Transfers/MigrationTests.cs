using System.Net;
using System.Text;
using DeviceFabric.Provisioning;
using DeviceFabric.Security;
using DeviceFabric.Tests.Infrastructure;
using DeviceFabric.Tests.Provisioning;
using DeviceFabric.Transfers;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;

namespace DeviceFabric.Tests.Transfers;

/// <summary>Moving devices between the fabric's hubs, as a job: what moves, who may move it, and where the device goes next.</summary>
public sealed class MigrationTests(ProvisioningFixture fixture) : IClassFixture<ProvisioningFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string SecondHubToken => ServiceToken.FromConnectionString(TransferApi.SecondOwnerConnectionString(fixture));

    [Fact]
    public async Task Migrate_MovesTheDevicesAQueryPicks_WithKeysAndTwins_RefusesThemAtTheOldHub_AndReprovisionsThemToTheNew()
    {
        // One device provisioned into the first hub through a group, one created there directly; both tagged.
        var group = ProvisioningFixture.NewId("group");
        var stored = await fixture.PutAsync($"/enrollmentGroups/{group}", """{"attestation":{"type":"symmetricKey"},"allocationPolicy":"static","iotHubs":["localhost"]}""");
        var groupKey = stored.GetProperty("attestation").GetProperty("symmetricKey").GetProperty("primaryKey").GetString()!;
        var provisioned = ProvisioningFixture.NewId("mover");
        var deviceKey = ProvisioningKeys.Derive(groupKey, provisioned);
        Assert.Equal(200, (await fixture.RegisterAsync(provisioned, deviceKey)).Status);
        var created = ProvisioningFixture.NewId("mover");
        using var first = fixture.Node.CreateHttpClient();
        Assert.Equal(HttpStatusCode.OK, (await first.PutAsync($"/devices/{created}", Json($$"""{"deviceId":"{{created}}"}"""), Ct)).StatusCode);
        var fleet = ProvisioningFixture.NewId("fleet");
        foreach (var id in new[] { provisioned, created })
        {
            using var patch = new HttpRequestMessage(HttpMethod.Patch, $"/twins/{id}") { Content = Json("{\"tags\":{\"fleet\":\"" + fleet + "\"},\"properties\":{\"desired\":{\"rate\":5}}}") };
            Assert.Equal(HttpStatusCode.OK, (await first.SendAsync(patch, Ct)).StatusCode);
        }

        // Reported properties move when asked.
        var identity = await new DeviceFabric.Client.DeviceFabricClient(fixture.Node.Services.GetRequiredService<IClusterClient>()).Devices.GetAsync(provisioned, Ct);
        using (var reporter = await TwinDevice.ConnectAsync(fixture.Node, identity, subscribeDesired: false))
        {
            Assert.Equal(204, (await reporter.PatchReportedAsync("""{"battery":88}""")).Status);
        }

        var job = await TransferApi.RunAsync(fixture, first, "devicefabric", $$"""
            {"type":"migrate","queryCondition":"tags.fleet = '{{fleet}}'","targetHub":"{{ProvisioningFixture.SecondHost}}","includeReported":true}
            """, SecondHubToken);
        Assert.Equal("completed", job.GetProperty("status").GetString());
        Assert.Equal(100, job.GetProperty("progress").GetInt32());
        Assert.Equal(2, job.GetProperty("devicesSucceeded").GetInt64());

        using var second = fixture.Node.CreateHttpClient(SecondHubToken);
        var moved = await Api.ApiAssert.JsonAsync(await second.GetAsync($"/devices/{provisioned}", Ct));
        Assert.Equal(deviceKey, moved.GetProperty("authentication").GetProperty("symmetricKey").GetProperty("primaryKey").GetString());
        var twin = await Api.ApiAssert.JsonAsync(await second.GetAsync($"/twins/{provisioned}", Ct));
        Assert.Equal(fleet, twin.GetProperty("tags").GetProperty("fleet").GetString());
        Assert.Equal(5, twin.GetProperty("properties").GetProperty("desired").GetProperty("rate").GetInt32());
        Assert.Equal(88, twin.GetProperty("properties").GetProperty("reported").GetProperty("battery").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await first.GetAsync($"/devices/{created}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync($"/devices/{created}", Ct)).StatusCode);

        // Its old hub refuses it; the new one takes the same key; the provisioning service now sends it there.
        var (old, refused) = await MqttDevice.ConnectAsync(fixture.Node, provisioned, MqttDevice.Token(provisioned, deviceKey));
        using (old)
        {
            Assert.NotEqual(MqttClientConnectResultCode.Success, refused.ResultCode);
        }

        var host = ProvisioningFixture.SecondHost;
        var (moving, accepted) = await MqttDevice.ConnectAsync(fixture.Node, provisioned, MqttDevice.Token(provisioned, deviceKey, host: host), MqttDevice.Username(provisioned, host));
        using (moving)
        {
            Assert.Equal(MqttClientConnectResultCode.Success, accepted.ResultCode);
        }

        var again = await fixture.RegisterAsync(provisioned, deviceKey);
        Assert.Equal(200, again.Status);
        Assert.Equal(host, again.Body.GetProperty("registrationState").GetProperty("assignedHub").GetString());
    }

    [Fact]
    public async Task Migrate_NeedsATokenOfTheTargetHub_AndAnotherHub()
    {
        using var first = fixture.Node.CreateHttpClient();
        var body = $$"""{"type":"migrate","deviceId":"anyone","targetHub":"{{ProvisioningFixture.SecondHub}}"}""";
        Assert.Equal(HttpStatusCode.Unauthorized, (await TransferApi.CreateAsync(first, body)).Status);

        // A token of the first hub is no token of the second.
        var firstKey = ServiceToken.ParseConnectionString(fixture.Node.OwnerConnectionString)["SharedAccessKey"];
        var forged = SharedAccessSignature.Create(ProvisioningFixture.SecondHost, firstKey, "iothubowner", DateTimeOffset.UtcNow.AddHours(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await TransferApi.CreateAsync(first, body, forged)).Status);

        var (status, error) = await TransferApi.CreateAsync(first, """{"type":"migrate","deviceId":"anyone","targetHub":"localhost"}""", ServiceToken.FromConnectionString(fixture.Node.OwnerConnectionString));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("another hub", error.GetProperty("Message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateOneDevice_ThroughTheGrainClient_ReportsADeviceThatIsNotThere()
    {
        var client = new DeviceFabric.Client.DeviceFabricClient(fixture.Node.Services.GetRequiredService<IClusterClient>());
        var id = ProvisioningFixture.NewId("solo");
        await client.Devices.CreateAsync(id, cancellationToken: Ct);
        var jobId = ProvisioningFixture.NewId("job");
        await client.Transfers.MigrateDeviceAsync(jobId, id, ProvisioningFixture.SecondHub, cancellationToken: Ct);
        var ended = await client.Transfers.WaitForEndAsync(jobId, TimeSpan.FromMinutes(1), Ct);
        Assert.Equal(TransferStatus.Completed, ended.Status);
        Assert.Equal(1, ended.Succeeded);
        Assert.NotNull(await new DeviceFabric.Client.DeviceFabricClient(fixture.Node.Services.GetRequiredService<IClusterClient>(), ProvisioningFixture.SecondHub).Devices.GetAsync(id, Ct));

        var missing = ProvisioningFixture.NewId("job");
        await client.Transfers.MigrateDeviceAsync(missing, id, ProvisioningFixture.SecondHub, cancellationToken: Ct);
        var failed = await client.Transfers.WaitForEndAsync(missing, TimeSpan.FromMinutes(1), Ct);
        Assert.Equal(1, failed.Failed);
        Assert.Equal(DeviceFabricErrorCode.DeviceNotFound, Assert.Single(failed.Errors).Code);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
