using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using DeviceFabric.Devices;
using DeviceFabric.Security;
using DeviceFabric.Tests.Infrastructure;
using MQTTnet;

namespace DeviceFabric.Tests.KeyRotation;

/// <summary>
/// The node's own certificate is the operator's (from their CA or an ACME client): replacing its file serves new
/// connections the new one without a restart while connected devices stay up; and certificates about to expire (the
/// server's, a CA's, a device's) are listed and raise an audit event.
/// </summary>
public sealed class ServerCertificateAndExpiryTests : IAsyncLifetime
{
    private readonly TestAuthority _root = TestAuthority.CreateRoot("Operator Root");
    private string _serverPath = null!;
    private TestNode _node = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var data = TestNode.NewDataDirectory();
        Directory.CreateDirectory(Path.Combine(data, "certs"));
        // The test clients trust {data}/certs/ca.pem: here the operator's root, which issued the server certificate.
        await File.WriteAllTextAsync(Path.Combine(data, "certs", "ca.pem"), _root.Pem, Ct);
        _serverPath = Path.Combine(data, "operator-server.pem");
        await WriteServerCertificateAsync(TimeSpan.FromDays(10));
        _node = await TestNode.StartAsync(data, new Dictionary<string, string?>
        {
            ["DeviceFabric:Node:ServerCertificatePath"] = _serverPath,
            ["DeviceFabric:Certificates:ExpiryCheckInterval"] = "00:00:01",
        });
        _node.Logs.Expect("replace it");
    }

    public async ValueTask DisposeAsync()
    {
        await _node.DisposeAsync();
        _root.Dispose();
    }

    [Fact]
    public async Task ReplacingTheServerCertificateFile_ServesNewConnectionsTheNewOne_AndKeepsConnectedDevicesUp()
    {
        var device = await _node.Client.Devices.CreateAsync("reload-" + Guid.NewGuid().ToString("N")[..8], cancellationToken: Ct);
        var (client, result) = await MqttDevice.ConnectAsync(_node, device.DeviceId, MqttDevice.Token(device.DeviceId, device.Authentication.PrimaryKey!));
        using var _ = client;
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        var first = await PresentedThumbprintAsync(_node.MqttTlsPort);

        var replacement = await WriteServerCertificateAsync(TimeSpan.FromDays(90));

        // The node notices the file change on its own; each probe is a fresh handshake.
        var deadline = DateTimeOffset.UtcNow.AddSeconds(15);
        string presented;
        while ((presented = await PresentedThumbprintAsync(_node.MqttTlsPort)) != replacement && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Yield();
        }

        Assert.NotEqual(first, replacement);
        Assert.Equal(replacement, presented);
        Assert.Equal(replacement, await PresentedThumbprintAsync(_node.BaseAddress.Port));
        var ack = await client.PublishStringAsync($"devices/{device.DeviceId}/messages/events/", "still connected", MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: Ct);
        Assert.True(ack.IsSuccess);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task CertificatesAboutToExpire_AreListed_AndEachRaisesAnAuditEvent()
    {
        var events = new Recorder<SecurityAuditEvent>();
        await using var subscription = await _node.Client.Security.SubscribeAsync(events.Add, Ct);
        using var http = _node.CreateHttpClient();
        using var shortLivedCa = TestAuthority.CreateRoot("Short-lived CA", DateTimeOffset.UtcNow.AddDays(12));
        await CaSteps.UploadVerifiedAsync(http, "short-lived", shortLivedCa);
        var device = await _node.Client.Devices.CreateAsync("expiring-" + Guid.NewGuid().ToString("N")[..8],
            new DeviceSettings(Authentication: new DeviceAuthentication(DeviceAuthenticationType.CertificateAuthority)), Ct);
        using var leaf = shortLivedCa.Issue(device.DeviceId, notAfter: DateTimeOffset.UtcNow.AddDays(5));
        var (client, result) = await MqttDevice.ConnectAsync(_node, device.DeviceId, password: null, clientCertificate: leaf);
        using var _ = client;
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);

        var listed = await http.GetFromJsonAsync<JsonElement>("/certificates/expiring", Ct);
        var kinds = listed.GetProperty("value").EnumerateArray().Select(c => (c.GetProperty("kind").GetString(), c.GetProperty("thumbprint").GetString())).ToList();
        Assert.Contains(("device", leaf.Thumbprint), kinds);
        Assert.Contains(("certificateAuthority", shortLivedCa.Certificate.Thumbprint), kinds);
        Assert.Contains(kinds, k => k.Item1 == "server");
        var sdk = await _node.Client.Security.ListExpiringAsync(TimeSpan.FromDays(7), Ct);
        Assert.Equal([leaf.Thumbprint], sdk.Select(c => c.Thumbprint));

        await events.WaitForAsync(e => e.Kind == SecurityAuditKind.CertificateExpiring && e.Detail.Contains(leaf.Thumbprint, StringComparison.Ordinal));
        await events.WaitForAsync(e => e.Kind == SecurityAuditKind.CertificateExpiring && e.Subject == "short-lived");
        var history = await _node.Client.Security.ListEventsAsync(new SecurityAuditFilter(Kind: SecurityAuditKind.CertificateExpiring), Ct);
        Assert.All(history, e => Assert.Equal(SecurityActor.Fabric, e.Actor));
        Assert.Single(history, e => e.Subject == "short-lived");
    }

    /// <summary>Writes a new server certificate with its key in one file, replaced in one rename as an ACME client does.</summary>
    private async Task<string> WriteServerCertificateAsync(TimeSpan validFor)
    {
        using var server = _root.IssueServer(validFor);
        var staging = _serverPath + ".new";
        await File.WriteAllTextAsync(staging, server.ExportCertificatePem() + "\n" + server.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem(), Ct);
        File.Move(staging, _serverPath, overwrite: true);
        return server.Thumbprint;
    }

    private static async Task<string> PresentedThumbprintAsync(int port)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, port, Ct);
        await using var ssl = new SslStream(tcp.GetStream());
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        }, Ct);
        return ssl.RemoteCertificate!.GetCertHashString();
    }
}
