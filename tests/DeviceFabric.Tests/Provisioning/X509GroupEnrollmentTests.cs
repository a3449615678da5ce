using System.Security.Cryptography;
using System.Text.Json;
using DeviceFabric.Devices;
using DeviceFabric.Tests.Infrastructure;
using DeviceFabric.Tests.KeyRotation;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;

namespace DeviceFabric.Tests.Provisioning;

/// <summary>
/// X.509 enrollment groups: a group names its CA by a signing certificate or by a reference to a hub's verified CA,
/// and any device whose chain ends there registers with its certificate's CN as registration id; its device then
/// connects to its hub with that certificate.
/// </summary>
public sealed class X509GroupEnrollmentTests(ProvisioningFixture fixture) : IClassFixture<ProvisioningFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AGroupsSigningCertificate_RegistersEveryDeviceItSigned_WhichThenConnectsToItsHub()
    {
        using var root = TestAuthority.CreateRoot("Group Signing Root");
        var group = ProvisioningFixture.NewId("x509group");
        var stored = await fixture.PutAsync($"/enrollmentGroups/{group}", JsonSerializer.Serialize(new
        {
            attestation = new { type = "x509", x509 = new { signingCertificates = new { primary = new { certificate = root.Pem } } } },
            iotHubs = new[] { "localhost" },
        }));
        Assert.Equal(root.Certificate.Thumbprint, stored.GetProperty("attestation").GetProperty("x509").GetProperty("signingCertificates")
            .GetProperty("primary").GetProperty("info").GetProperty("sha1Thumbprint").GetString());
        var id = ProvisioningFixture.NewId("signed");
        using var leaf = root.Issue(id);

        var (connect, device) = await DpsDevice.ConnectAsync(fixture.Node, fixture.IdScope, id, password: null, clientCertificate: leaf);
        Assert.Equal(MqttClientConnectResultCode.Success, connect);
        await using (device)
        {
            var (status, body) = await device!.RegisterAsync(id);
            Assert.Equal(200, status);
            Assert.Equal("localhost", body.GetProperty("registrationState").GetProperty("assignedHub").GetString());
        }

        var identity = await fixture.Node.Client.Devices.GetAsync(id, Ct);
        Assert.Equal(DeviceAuthenticationType.SelfSigned, identity.Authentication.Type);
        Assert.Equal(leaf.GetCertHashString(HashAlgorithmName.SHA256), identity.Authentication.PrimaryThumbprint);
        var (client, result) = await MqttDevice.ConnectAsync(fixture.Node, id, password: null, clientCertificate: leaf);
        using var _ = client;
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
    }

    [Fact]
    public async Task AGroupReferencingAHubsCa_AdmitsItsDevicesOnlyOnceThatCaIsVerified_AndRefusesStrangers()
    {
        using var root = TestAuthority.CreateRoot("Referenced Root");
        using var stranger = TestAuthority.CreateRoot("Stranger Root");
        var caName = ProvisioningFixture.NewId("refca");
        using var hubHttp = fixture.Node.CreateHttpClient();
        await CaSteps.UploadAsync(hubHttp, caName, root);
        var group = ProvisioningFixture.NewId("refgroup");
        await fixture.PutAsync($"/enrollmentGroups/{group}", JsonSerializer.Serialize(new
        {
            attestation = new { type = "x509", x509 = new { caReferences = new { primary = caName } } },
            iotHubs = new[] { "localhost" },
        }));
        var id = ProvisioningFixture.NewId("referenced");
        using var leaf = root.Issue(id);

        var (unverified, _) = await DpsDevice.ConnectAsync(fixture.Node, fixture.IdScope, id, password: null, clientCertificate: leaf);
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, unverified);

        var current = await fixture.Node.Client.Security.GetCertificateAsync(caName, Ct);
        var coded = await fixture.Node.Client.Security.GenerateVerificationCodeAsync(caName, current.ETag, Ct);
        using var proof = root.Issue(coded.VerificationCode!);
        await fixture.Node.Client.Security.VerifyCertificateAsync(caName, proof.ExportCertificatePem(), coded.ETag, Ct);

        var (accepted, device) = await DpsDevice.ConnectAsync(fixture.Node, fixture.IdScope, id, password: null, clientCertificate: leaf);
        Assert.Equal(MqttClientConnectResultCode.Success, accepted);
        await using (device)
        {
            Assert.Equal(200, (await device!.RegisterAsync(id)).Status);
        }

        // Its device is a CA device of the hub: every connect checks the chain, so revoking the CA stops it.
        Assert.Equal(DeviceAuthenticationType.CertificateAuthority, (await fixture.Node.Client.Devices.GetAsync(id, Ct)).Authentication.Type);
        var (hubClient, hubResult) = await MqttDevice.ConnectAsync(fixture.Node, id, password: null, clientCertificate: leaf);
        hubClient.Dispose();
        Assert.Equal(MqttClientConnectResultCode.Success, hubResult.ResultCode);
        await fixture.Node.Client.Security.RevokeAsync(root.Certificate.Thumbprint, null, "CA retired", Ct);
        var (revokedClient, revokedResult) = await MqttDevice.ConnectAsync(fixture.Node, id, password: null, clientCertificate: leaf, source: LoopbackSources.Unique());
        revokedClient.Dispose();
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, revokedResult.ResultCode);
        var (reRegister, _) = await DpsDevice.ConnectAsync(fixture.Node, fixture.IdScope, id, password: null, clientCertificate: leaf);
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, reRegister);

        var otherId = ProvisioningFixture.NewId("stranger");
        using var fromStranger = stranger.Issue(otherId);
        using var wrongName = root.Issue("not-" + otherId);
        foreach (var refused in new[] { fromStranger, wrongName })
        {
            var (result, none) = await DpsDevice.ConnectAsync(fixture.Node, fixture.IdScope, otherId, password: null, clientCertificate: refused);
            Assert.Equal(MqttClientConnectResultCode.NotAuthorized, result);
            Assert.Null(none);
        }

        // Nothing was recorded for the refused device.
        await Assert.ThrowsAsync<DeviceFabric.Client.DeviceFabricServiceException>(() => fixture.Node.Client.Provisioning.GetRegistrationAsync(otherId, Ct));
    }

    [Fact]
    public async Task ACaReference_IsResolvedOnlyInTheGroupsHubs_NotInAnotherHubWithACaOfThatName()
    {
        using var elsewhere = TestAuthority.CreateRoot("Other Hub Root");
        var caName = ProvisioningFixture.NewId("samename");
        var secondHub = new DeviceFabric.Client.DeviceFabricClient(fixture.Node.Services.GetRequiredService<IClusterClient>(), ProvisioningFixture.SecondHub);
        var uploaded = await secondHub.Security.PutCertificateAsync(caName, elsewhere.Pem, cancellationToken: Ct);
        var coded = await secondHub.Security.GenerateVerificationCodeAsync(caName, uploaded.ETag, Ct);
        using var proof = elsewhere.Issue(coded.VerificationCode!);
        await secondHub.Security.VerifyCertificateAsync(caName, proof.ExportCertificatePem(), coded.ETag, Ct);
        var group = ProvisioningFixture.NewId("scoped");
        await fixture.PutAsync($"/enrollmentGroups/{group}", JsonSerializer.Serialize(new
        {
            attestation = new { type = "x509", x509 = new { caReferences = new { primary = caName } } },
            iotHubs = new[] { "localhost" },
        }));
        var id = ProvisioningFixture.NewId("scoped-device");
        using var leaf = elsewhere.Issue(id);

        var (result, device) = await DpsDevice.ConnectAsync(fixture.Node, fixture.IdScope, id, password: null, clientCertificate: leaf);

        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, result);
        Assert.Null(device);
    }
}
