using DeviceFabric.Devices;
using DeviceFabric.Events;
using DeviceFabric.Security;
using DeviceFabric.Telemetry;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Protocol;

namespace DeviceFabric.Tests.Modules;

/// <summary>Modules over MQTT and TLS as IoT Hub has them: their own identity, keys and session beside their device's.</summary>
public sealed class ModuleSessionTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string ModuleUsername(string deviceId, string moduleId) => $"localhost/{deviceId}/{moduleId}/?api-version=2021-04-12";

    private static string ModuleToken(string deviceId, string moduleId, string key) =>
        SharedAccessSignature.Create($"localhost/devices/{deviceId}/modules/{moduleId}", key, null, DateTimeOffset.UtcNow.AddHours(1));

    private async Task<(DeviceIdentity Device, DeviceIdentity Module)> NewModuleAsync()
    {
        var device = await Node.Client.Devices.CreateAsync("mod-" + Guid.NewGuid().ToString("N")[..10], cancellationToken: Ct);
        var module = await Node.Client.Modules.CreateAsync(device.DeviceId, "filter", cancellationToken: Ct);
        return (device, module);
    }

    private Task<(IMqttClient Client, MqttClientConnectResult Result)> ConnectModuleAsync(string deviceId, string moduleId, string key) =>
        MqttDevice.ConnectAsync(Node, $"{deviceId}/{moduleId}", ModuleToken(deviceId, moduleId, key), ModuleUsername(deviceId, moduleId));

    /// <summary>Publishes outside the sender's own topics and waits for the connection IoT Hub's way closes it.</summary>
    private static async Task PublishExpectingCloseAsync(IMqttClient client, string topic)
    {
        var closed = MqttDevice.WhenDisconnected(client);
        try
        {
            await client.PublishAsync(new MqttApplicationMessageBuilder()
                .WithTopic(topic).WithPayload("x").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), Ct);
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
            // The connection may close before the PUBACK would have come.
        }

        await closed.WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }

    [Fact]
    public async Task ModuleAndDevice_HaveIndependentSessions_AndModuleTelemetryNamesTheModule()
    {
        var received = new Recorder<TelemetryMessage>();
        await using var subscription = await Node.Client.Telemetry.SubscribeAsync(received.Add, Ct);
        var (device, module) = await NewModuleAsync();
        var (deviceClient, deviceResult) = await MqttDevice.ConnectAsync(Node, device.DeviceId, MqttDevice.Token(device.DeviceId, device.Authentication.PrimaryKey!));
        using var deviceScope = deviceClient;
        var (moduleClient, moduleResult) = await ConnectModuleAsync(device.DeviceId, "filter", module.Authentication.PrimaryKey!);
        using var moduleScope = moduleClient;
        Assert.Equal((MqttClientConnectResultCode.Success, MqttClientConnectResultCode.Success), (deviceResult.ResultCode, moduleResult.ResultCode));

        await moduleClient.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic($"devices/{device.DeviceId}/modules/filter/messages/events/%24.on=out1&kind=filtered/")
            .WithPayload("{\"t\":1}").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), Ct);
        var message = await received.WaitForAsync(m => m.DeviceId == device.DeviceId);
        Assert.Equal("filter", message.ModuleId);
        Assert.Equal("filter", message.SystemProperties["iothub-connection-module-id"]);
        Assert.Equal("filtered", message.Properties["kind"]);

        // Closing the module leaves the device connected, and the registry shows each on its own.
        var events = new Recorder<DeviceLifecycleEvent>();
        await using var lifecycle = await Node.Client.Events.SubscribeAsync(events.Add, Ct);
        await moduleClient.DisconnectAsync(cancellationToken: Ct);
        await events.WaitForAsync(e => e.DeviceId == device.DeviceId && e.ModuleId == "filter" && e.Kind == DeviceLifecycleKind.Disconnected);
        Assert.True(deviceClient.IsConnected);
        Assert.Equal(DeviceConnectionState.Connected, (await Node.Client.Devices.GetAsync(device.DeviceId, Ct)).ConnectionState);
        Assert.Equal(DeviceConnectionState.Disconnected, (await Node.Client.Modules.GetAsync(device.DeviceId, "filter", Ct)).ConnectionState);
    }

    [Fact]
    public async Task Module_IsRefused_WithItsDevicesKey_OrAnotherClientId()
    {
        Node.Logs.Expect("Refused MQTT connect");
        var (device, module) = await NewModuleAsync();
        var (withDeviceKey, result) = await MqttDevice.ConnectAsync(
            Node, $"{device.DeviceId}/filter", ModuleToken(device.DeviceId, "filter", device.Authentication.PrimaryKey!), ModuleUsername(device.DeviceId, "filter"));
        using var scope1 = withDeviceKey;
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, result.ResultCode);

        var (wrongClientId, result2) = await MqttDevice.ConnectAsync(
            Node, device.DeviceId, ModuleToken(device.DeviceId, "filter", module.Authentication.PrimaryKey!), ModuleUsername(device.DeviceId, "filter"));
        using var scope2 = wrongClientId;
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, result2.ResultCode);
    }

    [Fact]
    public async Task Module_CannotPublishAsItsDevice_NorSubscribeToCloudToDevice()
    {
        Node.Logs.Expect("Refused");
        var (device, module) = await NewModuleAsync();
        var (client, _) = await ConnectModuleAsync(device.DeviceId, "filter", module.Authentication.PrimaryKey!);
        using var scope = client;
        var refused = await client.SubscribeAsync($"devices/{device.DeviceId}/messages/devicebound/#", MqttQualityOfServiceLevel.AtLeastOnce, Ct);
        // MQTT 3.1.1 has one failure code; MQTTnet reads it as unspecified.
        Assert.Equal(MqttClientSubscribeResultCode.UnspecifiedError, refused.Items.Single().ResultCode);

        await PublishExpectingCloseAsync(client, $"devices/{device.DeviceId}/messages/events/");
    }

    [Theory]
    [InlineData("devices/{0}/modules/filter2/messages/events/")]
    [InlineData("devices/{0}/modules/filte/messages/events/")]
    [InlineData("devices/{0}2/modules/filter/messages/events/")]
    public async Task Module_CannotPublishAsASiblingOrLookAlike(string topicFormat)
    {
        Node.Logs.Expect("Refused");
        var (device, module) = await NewModuleAsync();
        var (client, _) = await ConnectModuleAsync(device.DeviceId, "filter", module.Authentication.PrimaryKey!);
        using var scope = client;
        await PublishExpectingCloseAsync(client, string.Format(System.Globalization.CultureInfo.InvariantCulture, topicFormat, device.DeviceId));
    }

    [Fact]
    public async Task ADevice_CannotPublishAsItsModule()
    {
        Node.Logs.Expect("Refused");
        var (device, _) = await NewModuleAsync();
        var (client, _) = await MqttDevice.ConnectAsync(Node, device.DeviceId, MqttDevice.Token(device.DeviceId, device.Authentication.PrimaryKey!));
        using var scope = client;
        await PublishExpectingCloseAsync(client, $"devices/{device.DeviceId}/modules/filter/messages/events/");
    }

    [Fact]
    public async Task DisablingTheDevice_ClosesItsModulesSessions_AndRefusesThem_UntilEnabled()
    {
        Node.Logs.Expect("Refused MQTT connect");
        var (device, module) = await NewModuleAsync();
        var (client, _) = await ConnectModuleAsync(device.DeviceId, "filter", module.Authentication.PrimaryKey!);
        using var scope = client;
        var closed = MqttDevice.WhenDisconnected(client);
        var current = await Node.Client.Devices.GetAsync(device.DeviceId, Ct);
        await Node.Client.Devices.UpdateAsync(device.DeviceId, new DeviceSettings(DeviceStatus.Disabled, Authentication: current.Authentication), cancellationToken: Ct);
        await closed.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        var (again, refused) = await ConnectModuleAsync(device.DeviceId, "filter", module.Authentication.PrimaryKey!);
        using var scope2 = again;
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, refused.ResultCode);

        await Node.Client.Devices.UpdateAsync(device.DeviceId, new DeviceSettings(DeviceStatus.Enabled, Authentication: current.Authentication), cancellationToken: Ct);
        var (third, accepted) = await ConnectModuleAsync(device.DeviceId, "filter", module.Authentication.PrimaryKey!);
        using var scope3 = third;
        Assert.Equal(MqttClientConnectResultCode.Success, accepted.ResultCode);
    }

    [Fact]
    public async Task RegeneratingTheModulesKey_ClosesItsSession_AndTheOldKeyIsRefused()
    {
        Node.Logs.Expect("Refused MQTT connect");
        var (device, module) = await NewModuleAsync();
        var (client, _) = await ConnectModuleAsync(device.DeviceId, "filter", module.Authentication.PrimaryKey!);
        using var scope = client;
        var closed = MqttDevice.WhenDisconnected(client);
        var rolled = await Node.Client.Modules.RegenerateKeyAsync(device.DeviceId, "filter", KeyRollover.Primary, cancellationToken: Ct);
        Assert.NotEqual(module.Authentication.PrimaryKey, rolled.Authentication.PrimaryKey);
        Assert.Equal(module.Authentication.SecondaryKey, rolled.Authentication.SecondaryKey);
        await closed.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        var (old, refused) = await ConnectModuleAsync(device.DeviceId, "filter", module.Authentication.PrimaryKey!);
        using var scope2 = old;
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, refused.ResultCode);
    }

    [Fact]
    public async Task ModuleLifecycle_IsAnnouncedWithTheModuleId()
    {
        var events = new Recorder<DeviceLifecycleEvent>();
        await using var subscription = await Node.Client.Events.SubscribeAsync(events.Add, Ct);
        var (device, _) = await NewModuleAsync();
        var created = await events.WaitForAsync(e => e.DeviceId == device.DeviceId && e.ModuleId == "filter" && e.Kind == DeviceLifecycleKind.Created);
        Assert.Equal(Node.Client.Hub, created.Hub);

        await Node.Client.Devices.DeleteAsync(device.DeviceId, cancellationToken: Ct);
        await events.WaitForAsync(e => e.DeviceId == device.DeviceId && e.ModuleId == "filter" && e.Kind == DeviceLifecycleKind.Deleted);
        var error = await Assert.ThrowsAsync<DeviceFabric.Client.DeviceFabricServiceException>(() => Node.Client.Modules.GetAsync(device.DeviceId, "filter", Ct));
        Assert.Equal(DeviceFabricErrorCode.ModuleNotFound, error.ErrorCode);
    }
}
