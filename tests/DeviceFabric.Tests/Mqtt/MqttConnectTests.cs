using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceFabric.Devices;
using DeviceFabric.Events;
using DeviceFabric.Security;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Formatter;

namespace DeviceFabric.Tests.Mqtt;

/// <summary>CONNECT as IoT Hub expects it: what is accepted, and every refusal (CONNACK 5) leaving state untouched.</summary>
public sealed class MqttConnectTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    private async Task<DeviceIdentity> NewDeviceAsync(DeviceSettings? settings = null) =>
        await Node.Client.Devices.CreateAsync("mqtt-" + Guid.NewGuid().ToString("N")[..12], settings, TestContext.Current.CancellationToken);

    [Fact]
    public async Task Connect_WithPrimaryOrSecondaryKey_IsAccepted_AndTheDeviceShowsConnected()
    {
        var events = new Recorder<DeviceLifecycleEvent>();
        await using var subscription = await Node.Client.Events.SubscribeAsync(events.Add, TestContext.Current.CancellationToken);
        var device = await NewDeviceAsync();
        var (client, result) = await MqttDevice.ConnectAsync(Node, device.DeviceId, MqttDevice.Token(device.DeviceId, device.Authentication.SecondaryKey!));
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);

        // The session attaches right after the CONNACK (MQTTnet reports the connection once CONNACK is sent).
        await events.WaitForAsync(e => e.DeviceId == device.DeviceId && e.Kind == DeviceLifecycleKind.Connected);
        var connected = await Node.Client.Devices.GetAsync(device.DeviceId, TestContext.Current.CancellationToken);
        Assert.Equal(DeviceConnectionState.Connected, connected.ConnectionState);
        Assert.True(connected.ConnectionStateUpdatedTime > device.StatusUpdatedTime);
        await client.DisconnectAsync(cancellationToken: TestContext.Current.CancellationToken);

        (client, result) = await MqttDevice.ConnectAsync(Node, device.DeviceId, MqttDevice.Token(device.DeviceId, device.Authentication.PrimaryKey!));
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        client.Dispose();
    }

    [Fact]
    public async Task Connect_WithDevicePolicyToken_IsAccepted_ButServicePolicyIsNot()
    {
        fixture.Node.Logs.Expect("Refused MQTT connect");
        var device = await NewDeviceAsync();
        var policies = await Node.Services.GetRequiredServiceGrainFactory().GetGrain<IHubGrain>("devicefabric").GetAccessPoliciesAsync(TestContext.Current.CancellationToken);
        var devicePolicy = policies.Single(p => p.KeyName == "device");
        var servicePolicy = policies.Single(p => p.KeyName == "service");

        var (refused, refusal) = await MqttDevice.ConnectAsync(Node, device.DeviceId, MqttDevice.Token(device.DeviceId, servicePolicy.PrimaryKey, policy: "service"));
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, refusal.ResultCode);
        refused.Dispose();

        var (client, result) = await MqttDevice.ConnectAsync(Node, device.DeviceId, MqttDevice.Token(device.DeviceId, devicePolicy.PrimaryKey, policy: "device"));
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        client.Dispose();
    }

    public static TheoryData<string> Refusals() =>
    [
        "unknown device", "disabled device", "wrong key", "forged signature", "expired token", "token for another device",
        "token for another hub", "malformed username", "client id not the device", "no password", "module username",
    ];

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Connect_Refused_IsNotAuthorized_AndChangesNothing(string refusal)
    {
        fixture.Node.Logs.Expect("Refused MQTT connect");
        var events = new Recorder<DeviceLifecycleEvent>();
        await using var subscription = await Node.Client.Events.SubscribeAsync(events.Add, TestContext.Current.CancellationToken);
        var device = await NewDeviceAsync(refusal == "disabled device" ? new DeviceSettings(DeviceStatus.Disabled) : null);
        var id = device.DeviceId;
        var key = device.Authentication.PrimaryKey!;
        var (deviceId, password, username, clientId) = refusal switch
        {
            "unknown device" => ("nosuch-" + id, MqttDevice.Token("nosuch-" + id, key), null, null),
            "wrong key" => (id, MqttDevice.Token(id, SymmetricKeys.Generate()), null, null),
            "forged signature" => (id, MqttDevice.Token(id, key).Replace("sig=", "sig=AA", StringComparison.Ordinal), null, null),
            "expired token" => (id, MqttDevice.Token(id, key, TimeSpan.FromHours(-1)), null, null),
            "token for another device" => (id, MqttDevice.Token("other", key), null, null),
            "token for another hub" => (id, MqttDevice.Token(id, key, host: "otherhub.example"), null, null),
            "malformed username" => (id, MqttDevice.Token(id, key), $"localhost/{id}", null),
            "client id not the device" => (id, MqttDevice.Token(id, key), null, "someone-else"),
            "no password" => (id, (string?)null, null, null),
            "module username" => (id, MqttDevice.Token(id, key), $"localhost/{id}/module1/?api-version=2021-04-12", $"{id}/module1"),
            _ => (id, MqttDevice.Token(id, key), null, null),
        };

        var (client, result) = await MqttDevice.ConnectAsync(Node, deviceId, password, username, clientId);
        client.Dispose();

        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, result.ResultCode);
        var after = await Node.Client.Devices.GetAsync(id, TestContext.Current.CancellationToken);
        Assert.Equal(device with { ConnectionState = after.ConnectionState }, after);
        Assert.Equal(DeviceConnectionState.Disconnected, after.ConnectionState);
        Assert.Equal(device.ConnectionStateUpdatedTime, after.ConnectionStateUpdatedTime);

        // The creation event arrives; a connected event never does. A later event of another device proves the stream moved on.
        await events.WaitForAsync(e => e.DeviceId == id && e.Kind == DeviceLifecycleKind.Created);
        var marker = await NewDeviceAsync();
        await events.WaitForAsync(e => e.DeviceId == marker.DeviceId);
        Assert.DoesNotContain(events.Seen, e => e.DeviceId == id && e.Kind == DeviceLifecycleKind.Connected);
    }

    [Fact]
    public async Task Connect_WithModelId_RecordsItOnTheDevice()
    {
        var device = await NewDeviceAsync();
        var username = MqttDevice.Username(device.DeviceId) + "&model-id=dtmi:com:example:Thermostat;1&DeviceClientType=azure-iot-device%2F1.18.4";
        var (client, result) = await MqttDevice.ConnectAsync(Node, device.DeviceId, MqttDevice.Token(device.DeviceId, device.Authentication.PrimaryKey!), username);
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        client.Dispose();

        Assert.Equal("dtmi:com:example:Thermostat;1", (await Node.Client.Devices.GetAsync(device.DeviceId, TestContext.Current.CancellationToken)).ModelId);
    }

    [Fact]
    public async Task Connect_Mqtt5Client_IsAcceptedAndRefusedLikeMqtt311()
    {
        fixture.Node.Logs.Expect("Refused MQTT connect");
        var device = await NewDeviceAsync();
        var (refused, refusal) = await MqttDevice.ConnectAsync(Node, device.DeviceId, "nonsense", protocol: MqttProtocolVersion.V500);
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, refusal.ResultCode);
        refused.Dispose();

        var (client, result) = await MqttDevice.ConnectAsync(Node, device.DeviceId, MqttDevice.Token(device.DeviceId, device.Authentication.PrimaryKey!), protocol: MqttProtocolVersion.V500);
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        client.Dispose();
    }

    [Fact]
    public async Task Connect_WithRegisteredSelfSignedCertificate_IsAccepted_AnotherCertificateIsNot()
    {
        fixture.Node.Logs.Expect("Refused MQTT connect");
        using var certificate = SelfSigned();
        using var stranger = SelfSigned();
        var device = await NewDeviceAsync(new DeviceSettings(Authentication: new DeviceAuthentication(
            DeviceAuthenticationType.SelfSigned, PrimaryThumbprint: certificate.GetCertHashString(HashAlgorithmName.SHA256))));

        var (refused, refusal) = await MqttDevice.ConnectAsync(Node, device.DeviceId, null, clientCertificate: stranger);
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, refusal.ResultCode);
        refused.Dispose();

        var (client, result) = await MqttDevice.ConnectAsync(Node, device.DeviceId, null, clientCertificate: certificate);
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        client.Dispose();
    }

    [Fact]
    public async Task Connect_OverWebSockets_IsAccepted()
    {
        var device = await NewDeviceAsync();
        var (client, result) = await MqttDevice.ConnectAsync(Node, device.DeviceId, MqttDevice.Token(device.DeviceId, device.Authentication.PrimaryKey!), webSocket: true);
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        client.Dispose();
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=device", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
