using System.Security.Cryptography.X509Certificates;
using DeviceFabric.Devices;
using DeviceFabric.Telemetry;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;
using DeviceFabric.Tests.KeyRotation;

namespace DeviceFabric.Tests.Interop;

/// <summary>The npm Azure IoT device SDK, unchanged, with a certificate chain to a CA the hub verified by proof of possession.</summary>
public sealed class X509DeviceInteropTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TestNode Node => fixture.Node;

    [Fact]
    public async Task AzureDeviceSdk_ConnectsWithACaSignedChain_SendsEvents_AndAStrangersCertificateIsRefused()
    {
        Node.Logs.Expect("Refused MQTT connect");
        using var http = Node.CreateHttpClient();
        using var root = TestAuthority.CreateRoot("Interop Root");
        using var intermediate = root.CreateIntermediate("Interop Intermediate");
        using var strangerCa = TestAuthority.CreateRoot("Interop Stranger");
        await CaSteps.UploadVerifiedAsync(http, "interop-root", root);
        var device = await Node.Client.Devices.CreateAsync("x509-" + Guid.NewGuid().ToString("N")[..10],
            new DeviceSettings(Authentication: new DeviceAuthentication(DeviceAuthenticationType.CertificateAuthority)), Ct);
        using var leaf = intermediate.Issue(device.DeviceId);
        using var stranger = strangerCa.Issue(device.DeviceId);
        var folder = Directory.CreateTempSubdirectory("devicefabric-x509-").FullName;
        var telemetry = new Recorder<TelemetryMessage>();
        await using var subscription = await Node.Client.Telemetry.SubscribeAsync(telemetry.Add, Ct);
        try
        {
            var (exitCode, output) = await NodeScript.RunAsync("device-x509.js", new Dictionary<string, string>
            {
                ["DEVICE_CONNECTION_STRING"] = $"HostName=localhost:{Node.MqttTlsPort};DeviceId={device.DeviceId};x509=true",
                ["DEVICE_CERT"] = Write(folder, "device.pem", intermediate.ChainPem(leaf)),
                ["DEVICE_KEY"] = Write(folder, "device.key.pem", leaf.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem()),
                ["STRANGER_CERT"] = Write(folder, "stranger.pem", stranger.ExportCertificatePem()),
                ["STRANGER_KEY"] = Write(folder, "stranger.key.pem", stranger.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem()),
                ["DEVICEFABRIC_CA"] = Node.CaPath,
            }, TimeSpan.FromSeconds(60));
            Assert.True(exitCode == 0, output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        await telemetry.WaitForAsync(m => m.DeviceId == device.DeviceId && m.SystemProperties.GetValueOrDefault("message-id") == "x509-1");
        Assert.Equal(["x509-0", "x509-1"], telemetry.Seen.Where(m => m.DeviceId == device.DeviceId).Select(m => m.SystemProperties["message-id"]));
    }

    private static string Write(string folder, string name, string content)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, content);
        return path;
    }
}
