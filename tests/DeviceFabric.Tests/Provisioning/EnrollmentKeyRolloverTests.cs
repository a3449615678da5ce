using System.Net;
using System.Net.Http.Json;
using DeviceFabric.Provisioning;
using DeviceFabric.Security;
using DeviceFabric.Tests.Infrastructure;
using MQTTnet;

namespace DeviceFabric.Tests.Provisioning;

/// <summary>
/// Enrollment and enrollment-group keys roll over as device keys do: the replaced key is refused at the next
/// registration, and the devices the enrollment registered get the keys that follow from the new ones, so a device
/// still holding a key derived from a replaced group key is refused at its next connect too.
/// </summary>
public sealed class EnrollmentKeyRolloverTests(ProvisioningFixture fixture) : IClassFixture<ProvisioningFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RegeneratingAGroupsPrimary_RefusesItsDerivedKeysForRegisteringAndConnecting_AndTheSecondaryStillWorks()
    {
        var group = ProvisioningFixture.NewId("rollgroup");
        var stored = await fixture.PutAsync($"/enrollmentGroups/{group}", """{"attestation":{"type":"symmetricKey"},"iotHubs":["localhost"]}""");
        var keys = stored.GetProperty("attestation").GetProperty("symmetricKey");
        var oldPrimary = keys.GetProperty("primaryKey").GetString()!;
        var secondary = keys.GetProperty("secondaryKey").GetString()!;
        var onPrimary = ProvisioningFixture.NewId("rollmember");
        var onSecondary = ProvisioningFixture.NewId("rollmember");
        Assert.Equal(200, (await fixture.RegisterAsync(onPrimary, ProvisioningKeys.Derive(oldPrimary, onPrimary))).Status);
        Assert.Equal(200, (await fixture.RegisterAsync(onSecondary, ProvisioningKeys.Derive(secondary, onSecondary))).Status);
        var derivedOld = ProvisioningKeys.Derive(oldPrimary, onPrimary);
        var (primaryClient, r1) = await MqttDevice.ConnectAsync(fixture.Node, onPrimary, MqttDevice.Token(onPrimary, derivedOld));
        var (secondaryClient, r2) = await MqttDevice.ConnectAsync(fixture.Node, onSecondary, MqttDevice.Token(onSecondary, ProvisioningKeys.Derive(secondary, onSecondary)));
        using var _ = primaryClient;
        using var __ = secondaryClient;
        Assert.Equal(MqttClientConnectResultCode.Success, r1.ResultCode);
        Assert.Equal(MqttClientConnectResultCode.Success, r2.ResultCode);
        var primaryClosed = MqttDevice.WhenDisconnected(primaryClient);

        using var http = fixture.Service();
        using var response = await http.PostAsJsonAsync($"/enrollmentGroups/{group}/regenerateKey", new { keyType = "primary" }, Ct);
        var body = await Api.ApiAssert.JsonAsync(response);
        var newPrimary = body.GetProperty("attestation").GetProperty("symmetricKey").GetProperty("primaryKey").GetString()!;

        Assert.NotEqual(oldPrimary, newPrimary);
        Assert.Equal(secondary, body.GetProperty("attestation").GetProperty("symmetricKey").GetProperty("secondaryKey").GetString());
        await primaryClosed.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.True(secondaryClient.IsConnected);
        var (refusedConnect, refused) = await MqttDevice.ConnectAsync(fixture.Node, onPrimary, MqttDevice.Token(onPrimary, derivedOld), source: LoopbackSources.Unique());
        using var ___ = refusedConnect;
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, refused.ResultCode);
        var (registerResult, registering) = await DpsDevice.ConnectAsync(fixture.Node, fixture.IdScope, onPrimary, DpsDevice.Token(fixture.IdScope, onPrimary, derivedOld));
        await using (registering)
        {
            Assert.Equal(MqttClientConnectResultCode.NotAuthorized, registerResult);
        }

        // The device registers again with its key derived from the new primary, and connects with it.
        var derivedNew = ProvisioningKeys.Derive(newPrimary, onPrimary);
        Assert.Equal(200, (await fixture.RegisterAsync(onPrimary, derivedNew)).Status);
        var (again, connected) = await MqttDevice.ConnectAsync(fixture.Node, onPrimary, MqttDevice.Token(onPrimary, derivedNew));
        using var ____ = again;
        Assert.Equal(MqttClientConnectResultCode.Success, connected.ResultCode);
    }

    [Fact]
    public async Task RegeneratingAnIndividualEnrollmentsKey_GivesItsDeviceTheNewKey_ThroughTheSdk()
    {
        var id = ProvisioningFixture.NewId("rollone");
        var stored = await fixture.PutAsync($"/enrollments/{id}", """{"attestation":{"type":"symmetricKey"},"iotHubs":["localhost"]}""");
        var oldSecondary = stored.GetProperty("attestation").GetProperty("symmetricKey").GetProperty("secondaryKey").GetString()!;
        Assert.Equal(200, (await fixture.RegisterAsync(id, oldSecondary)).Status);

        var rolled = await fixture.Node.Client.Provisioning.RegenerateKeyAsync(EnrollmentKind.Individual, id, KeyRollover.Secondary, Ct);

        Assert.NotEqual(oldSecondary, rolled.Attestation.SecondaryKey);
        var device = await fixture.Node.Client.Devices.GetAsync(id, Ct);
        Assert.Equal(rolled.Attestation.SecondaryKey, device.Authentication.SecondaryKey);
        Assert.Equal(rolled.Attestation.PrimaryKey, device.Authentication.PrimaryKey);
        var events = await fixture.Node.Client.Provisioning.ListSecurityEventsAsync(new SecurityAuditFilter(Kind: SecurityAuditKind.EnrollmentKeyRegenerated), Ct);
        Assert.Contains(events, e => e.Subject.EndsWith(id, StringComparison.Ordinal) && e.Detail == "secondary key regenerated");
        var (result, refused) = await DpsDevice.ConnectAsync(fixture.Node, fixture.IdScope, id, DpsDevice.Token(fixture.IdScope, id, oldSecondary));
        await using (refused)
        {
            Assert.Equal(MqttClientConnectResultCode.NotAuthorized, result);
        }
    }

    [Fact]
    public async Task ABadKeyType_OrAnUnknownEnrollment_IsRefused()
    {
        var id = ProvisioningFixture.NewId("rollbad");
        await fixture.PutAsync($"/enrollments/{id}", """{"attestation":{"type":"symmetricKey"}}""");
        using var http = fixture.Service();

        using var badType = await http.PostAsJsonAsync($"/enrollments/{id}/regenerateKey", new { keyType = "both" }, Ct);
        using var missing = await http.PostAsJsonAsync($"/enrollments/{ProvisioningFixture.NewId("nobody")}/regenerateKey", new { keyType = "primary" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, badType.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
