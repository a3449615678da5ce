using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceFabric.Devices;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;
using MQTTnet;

namespace DeviceFabric.Tests.KeyRotation;

/// <summary>
/// Self-signed devices roll their certificates over through their two thumbprints: adding the new one as secondary
/// keeps the session on the old one up, and dropping the old one closes only that session; an expired or revoked
/// certificate is refused even while its thumbprint is registered.
/// </summary>
public sealed class ThumbprintRolloverTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TestNode Node => fixture.Node;

    [Fact]
    public async Task AddingTheNewThumbprint_KeepsTheOldSessionUp_AndDroppingTheOldOne_ClosesIt()
    {
        var id = "thumb-" + Guid.NewGuid().ToString("N")[..10];
        using var oldCertificate = SelfSigned(id, DateTimeOffset.UtcNow.AddDays(30));
        using var newCertificate = SelfSigned(id, DateTimeOffset.UtcNow.AddDays(365));
        var device = await Node.Client.Devices.CreateAsync(id, Settings(Sha256(oldCertificate), null), Ct);
        var (client, result) = await MqttDevice.ConnectAsync(Node, id, password: null, clientCertificate: oldCertificate);
        using var _ = client;
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        var closed = MqttDevice.WhenDisconnected(client);

        device = await Node.Client.Devices.UpdateAsync(id, Settings(Sha256(oldCertificate), Sha256(newCertificate)), device.ETag, Ct);
        var ack = await client.PublishStringAsync($"devices/{id}/messages/events/", "old certificate, still up", MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: Ct);
        Assert.True(ack.IsSuccess);
        Assert.False(closed.IsCompleted);

        await Node.Client.Devices.UpdateAsync(id, Settings(Sha256(newCertificate), null), device.ETag, Ct);
        await closed.WaitAsync(TimeSpan.FromSeconds(5), Ct);
        var (moved, movedResult) = await MqttDevice.ConnectAsync(Node, id, password: null, clientCertificate: newCertificate);
        using var __ = moved;
        Assert.Equal(MqttClientConnectResultCode.Success, movedResult.ResultCode);
    }

    [Fact]
    public async Task AnExpiredOrRevokedCertificate_IsRefused_ThoughItsThumbprintIsRegistered()
    {
        Node.Logs.Expect("Refused MQTT connect");
        var id = "thumbexp-" + Guid.NewGuid().ToString("N")[..10];
        using var expired = SelfSigned(id, DateTimeOffset.UtcNow.AddDays(-1));
        using var revoked = SelfSigned(id, DateTimeOffset.UtcNow.AddDays(30));
        await Node.Client.Devices.CreateAsync(id, Settings(Sha256(expired), Sha256(revoked)), Ct);
        await Node.Client.Security.RevokeAsync(revoked.Thumbprint, null, "lost device", Ct);

        foreach (var certificate in new[] { expired, revoked })
        {
            var (client, result) = await MqttDevice.ConnectAsync(Node, id, password: null, clientCertificate: certificate, source: LoopbackSources.Unique());
            client.Dispose();
            Assert.Equal(MqttClientConnectResultCode.NotAuthorized, result.ResultCode);
        }
    }

    private static DeviceSettings Settings(string primary, string? secondary) =>
        new(Authentication: new DeviceAuthentication(DeviceAuthenticationType.SelfSigned, PrimaryThumbprint: primary, SecondaryThumbprint: secondary));

    private static string Sha256(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);

    private static X509Certificate2 SelfSigned(string commonName, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + commonName, key, HashAlgorithmName.SHA256);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-90), notAfter);
    }
}
