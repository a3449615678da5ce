using Microsoft.Extensions.DependencyInjection;
using DeviceFabric.Provisioning;
using DeviceFabric.Tests.Infrastructure;
using MQTTnet;

namespace DeviceFabric.Tests.Provisioning;

/// <summary>
/// Devices that know only the ID scope and their key register over DPS's MQTT dialect: their device is created in the
/// hub their enrollment allocates, with its key and initial twin, and they then connect there.
/// </summary>
public sealed class RegistrationTests(ProvisioningFixture fixture) : IClassFixture<ProvisioningFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task IndividualEnrollment_RegistersIntoItsHub_WithItsInitialTwin_AndTheDeviceThenConnectsThere()
    {
        var id = ProvisioningFixture.NewId("solo");
        var enrollment = await fixture.PutAsync($"/enrollments/{id}", """
            {"registrationId":"ID","attestation":{"type":"symmetricKey"},"iotHubs":["localhost"],
             "initialTwin":{"tags":{"site":"north"},"properties":{"desired":{"interval":30}}}}
            """.Replace("ID", id, StringComparison.Ordinal));
        var key = enrollment.GetProperty("attestation").GetProperty("symmetricKey").GetProperty("primaryKey").GetString()!;
        Assert.Equal(64, Convert.FromBase64String(key).Length);

        var (status, body) = await fixture.RegisterAsync(id, key);

        Assert.Equal(200, status);
        Assert.Equal("assigned", body.GetProperty("status").GetString());
        var state = body.GetProperty("registrationState");
        Assert.Equal("localhost", state.GetProperty("assignedHub").GetString());
        Assert.Equal(id, state.GetProperty("deviceId").GetString());
        Assert.Equal("initialAssignment", state.GetProperty("substatus").GetString());

        var device = await fixture.Node.Client.Devices.GetAsync(id, Ct);
        Assert.Equal(key, device.Authentication.PrimaryKey);
        var twin = await fixture.Node.Client.Twins.GetAsync(id, Ct);
        Assert.Equal("north", twin["tags"]!["site"]!.GetValue<string>());
        Assert.Equal(30, twin["properties"]!["desired"]!["interval"]!.GetValue<int>());

        var (client, connect) = await MqttDevice.ConnectAsync(fixture.Node, id, MqttDevice.Token(id, key));
        client.Dispose();
        Assert.Equal(MqttClientConnectResultCode.Success, connect.ResultCode);
    }

    [Fact]
    public async Task RegisteringAgain_IsIdempotent_AndKeepsTheTwin()
    {
        var id = ProvisioningFixture.NewId("again");
        var key = await EnrollAsync(id, """["localhost"]""");
        Assert.Equal(200, (await fixture.RegisterAsync(id, key)).Status);
        await fixture.Node.Client.Twins.UpdateAsync(id, System.Text.Json.Nodes.JsonNode.Parse("""{"tags":{"changed":"by-service"}}""")!.AsObject(), cancellationToken: Ct);

        var (status, body) = await fixture.RegisterAsync(id, key);

        Assert.Equal(200, status);
        Assert.Equal("initialAssignment", body.GetProperty("registrationState").GetProperty("substatus").GetString());
        var twin = await fixture.Node.Client.Twins.GetAsync(id, Ct);
        Assert.Equal("by-service", twin["tags"]!["changed"]!.GetValue<string>());
    }

    [Fact]
    public async Task GroupEnrollment_RegistersEachDeviceWithItsDerivedKey_AndListsItsRegistrations()
    {
        var group = ProvisioningFixture.NewId("group");
        var stored = await fixture.PutAsync($"/enrollmentGroups/{group}", """{"attestation":{"type":"symmetricKey"},"iotHubs":["plant-b.example"]}""");
        var groupKey = stored.GetProperty("attestation").GetProperty("symmetricKey").GetProperty("primaryKey").GetString()!;
        var ids = new[] { ProvisioningFixture.NewId("member"), ProvisioningFixture.NewId("member") };

        foreach (var id in ids)
        {
            var (status, body) = await fixture.RegisterAsync(id, ProvisioningKeys.Derive(groupKey, id));
            Assert.Equal(200, status);
            Assert.Equal(ProvisioningFixture.SecondHost, body.GetProperty("registrationState").GetProperty("assignedHub").GetString());
            Assert.Equal(group, body.GetProperty("registrationState").GetProperty("symmetricKey").GetProperty("enrollmentGroupId").GetString());
        }

        // The derived key is the device's own key in its hub.
        var device = await new DeviceFabric.Client.DeviceFabricClient(fixture.Node.Services.GetRequiredService<IClusterClient>(), ProvisioningFixture.SecondHub)
            .Devices.GetAsync(ids[0], Ct);
        Assert.Equal(ProvisioningKeys.Derive(groupKey, ids[0]), device.Authentication.PrimaryKey);

        using var http = fixture.Service();
        var listed = await Api.ApiAssert.JsonAsync(await http.PostAsync($"/registrations/{group}/query", Json("""{"query":"*"}"""), Ct));
        Assert.Equal(ids.Order(StringComparer.Ordinal), listed.EnumerateArray().Select(r => r.GetProperty("registrationId").GetString()!));
    }

    [Fact]
    public async Task X509IndividualEnrollment_RegistersWithItsCertificate_AndTheDeviceConnectsWithIt()
    {
        var id = ProvisioningFixture.NewId("cert");
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest($"CN={id}", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var pem = certificate.ExportCertificatePem().Replace("\n", "\\n", StringComparison.Ordinal);
        var enrollment = await fixture.PutAsync($"/enrollments/{id}", """
            {"attestation":{"type":"x509","x509":{"clientCertificates":{"primary":{"certificate":"PEM"}}}},"iotHubs":["localhost"]}
            """.Replace("PEM", pem, StringComparison.Ordinal));
        var info = enrollment.GetProperty("attestation").GetProperty("x509").GetProperty("clientCertificates").GetProperty("primary").GetProperty("info");
        Assert.Equal(certificate.Thumbprint, info.GetProperty("sha1Thumbprint").GetString());

        var (result, device) = await DpsDevice.ConnectAsync(fixture.Node, fixture.IdScope, id, password: null, clientCertificate: certificate);
        Assert.Equal(MqttClientConnectResultCode.Success, result);
        await using (device)
        {
            var (status, body) = await device!.RegisterAsync(id);
            Assert.Equal(200, status);
            Assert.Equal("localhost", body.GetProperty("registrationState").GetProperty("assignedHub").GetString());
        }

        var (client, connect) = await MqttDevice.ConnectAsync(fixture.Node, id, password: null, clientCertificate: certificate);
        client.Dispose();
        Assert.Equal(MqttClientConnectResultCode.Success, connect.ResultCode);

        // Another certificate with the same name is not the enrolled one.
        using var otherKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        using var impostor = new System.Security.Cryptography.X509Certificates.CertificateRequest($"CN={id}", otherKey, System.Security.Cryptography.HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, (await DpsDevice.ConnectAsync(fixture.Node, fixture.IdScope, id, password: null, clientCertificate: impostor)).Result);
    }

    [Fact]
    public void DerivedKey_MatchesDpsTestVector()
    {
        Assert.Equal(
            "Jsm0lyGpjaVYVP2g3FnmnmG9dI/9qU24wNoykUmermc=",
            ProvisioningKeys.Derive("8isrFI1sGsIlvvFSSFRiMfCNzv21fjbE/+ah/lSh3lF8e2YG1Te7w1KpZhJFFXJrqYKi9yegxkqIChbqOS9Egw==", "sn-007-888-abc-mac-a1-b2-c3-d4-e5-f6"));
    }

    private async Task<string> EnrollAsync(string id, string hubs)
    {
        var enrollment = await fixture.PutAsync($"/enrollments/{id}", $$"""{"attestation":{"type":"symmetricKey"},"iotHubs":{{hubs}}}""");
        return enrollment.GetProperty("attestation").GetProperty("symmetricKey").GetProperty("primaryKey").GetString()!;
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
