using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DeviceFabric.Security;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;
using MQTTnet;

namespace DeviceFabric.Tests.KeyRotation;

/// <summary>
/// A device's keys roll over through REST (<c>POST /devices/{id}/regenerateKey</c>) and the grain client SDK: a token
/// signed with the replaced key is refused at once, the live session that used it is closed, and a session that used
/// the other key stays up.
/// </summary>
public sealed class DeviceKeyRolloverTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private static readonly TimeSpan s_closeDeadline = TimeSpan.FromSeconds(5);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TestNode Node => fixture.Node;

    [Fact]
    public async Task RegeneratingThePrimary_ClosesTheSessionThatUsedIt_RefusesItsTokens_AndKeepsTheSecondarysSession()
    {
        Node.Logs.Expect("Refused MQTT connect");
        var onPrimary = await Node.Client.Devices.CreateAsync(NewId("on-primary"), cancellationToken: Ct);
        var onSecondary = await Node.Client.Devices.CreateAsync(NewId("on-secondary"), cancellationToken: Ct);
        var (primaryClient, _) = await MqttDevice.ConnectAsync(Node, onPrimary.DeviceId, MqttDevice.Token(onPrimary.DeviceId, onPrimary.Authentication.PrimaryKey!));
        var (secondaryClient, _) = await MqttDevice.ConnectAsync(Node, onSecondary.DeviceId, MqttDevice.Token(onSecondary.DeviceId, onSecondary.Authentication.SecondaryKey!));
        using var _ = primaryClient;
        using var __ = secondaryClient;
        var primaryClosed = MqttDevice.WhenDisconnected(primaryClient);
        var secondaryClosed = MqttDevice.WhenDisconnected(secondaryClient);

        using var http = Node.CreateHttpClient();
        var regenerated = await RegenerateAsync(http, onPrimary.DeviceId, "primary");
        await RegenerateAsync(http, onSecondary.DeviceId, "primary");

        await primaryClosed.WaitAsync(s_closeDeadline, Ct);
        Assert.NotEqual(onPrimary.Authentication.PrimaryKey, regenerated.GetProperty("authentication").GetProperty("symmetricKey").GetProperty("primaryKey").GetString());
        Assert.Equal(onPrimary.Authentication.SecondaryKey, regenerated.GetProperty("authentication").GetProperty("symmetricKey").GetProperty("secondaryKey").GetString());
        var (refused, result) = await MqttDevice.ConnectAsync(Node, onPrimary.DeviceId, MqttDevice.Token(onPrimary.DeviceId, onPrimary.Authentication.PrimaryKey!), source: LoopbackSources.Unique());
        using var ___ = refused;
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, result.ResultCode);

        // The session on the secondary key outlived its device's primary rollover: it still round-trips a PUBACK.
        Assert.False(secondaryClosed.IsCompleted);
        var ack = await secondaryClient.PublishStringAsync($"devices/{onSecondary.DeviceId}/messages/events/", "still here", MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: Ct);
        Assert.True(ack.IsSuccess);
    }

    [Fact]
    public async Task Swapping_KeepsEverySessionUp_AndBothKeysStillWork()
    {
        var device = await Node.Client.Devices.CreateAsync(NewId("swap"), cancellationToken: Ct);
        var (client, _) = await MqttDevice.ConnectAsync(Node, device.DeviceId, MqttDevice.Token(device.DeviceId, device.Authentication.PrimaryKey!));
        using var _ = client;
        var closed = MqttDevice.WhenDisconnected(client);

        var swapped = await Node.Client.Devices.RegenerateKeyAsync(device.DeviceId, KeyRollover.Swap, device.ETag, Ct);

        Assert.Equal(device.Authentication.PrimaryKey, swapped.Authentication.SecondaryKey);
        Assert.Equal(device.Authentication.SecondaryKey, swapped.Authentication.PrimaryKey);
        var ack = await client.PublishStringAsync($"devices/{device.DeviceId}/messages/events/", "after swap", MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: Ct);
        Assert.True(ack.IsSuccess);
        Assert.False(closed.IsCompleted);
        await client.DisconnectAsync(cancellationToken: Ct);
        var (again, result) = await MqttDevice.ConnectAsync(Node, device.DeviceId, MqttDevice.Token(device.DeviceId, swapped.Authentication.SecondaryKey!));
        using var __ = again;
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
    }

    [Fact]
    public async Task Rollovers_AreAudited_WithTheCallersPolicy_AndNoKey()
    {
        var device = await Node.Client.Devices.CreateAsync(NewId("audited"), cancellationToken: Ct);
        using var http = Node.CreateHttpClient();
        await RegenerateAsync(http, device.DeviceId, "secondary");

        var events = await Node.Client.Security.ListEventsAsync(new SecurityAuditFilter(Subject: device.DeviceId), Ct);
        var rollover = Assert.Single(events, e => e.Kind == SecurityAuditKind.DeviceKeyRegenerated);
        Assert.Equal("iothubowner", rollover.Actor);
        Assert.Equal("secondary key regenerated", rollover.Detail);
        var listed = await http.GetFromJsonAsync<JsonElement>($"/security/events?subject={device.DeviceId}&kind=deviceKeyRegenerated", Ct);
        var text = listed.GetRawText();
        Assert.Contains("deviceKeyRegenerated", text);
        Assert.DoesNotContain(device.Authentication.SecondaryKey!, text);
        Assert.DoesNotContain(device.Authentication.PrimaryKey!, text);
    }

    [Theory]
    [InlineData("{\"keyType\":\"tertiary\"}", HttpStatusCode.BadRequest)]
    [InlineData("{}", HttpStatusCode.BadRequest)]
    [InlineData("not json", HttpStatusCode.BadRequest)]
    public async Task BadRequests_AreRefused_AndChangeNothing(string body, HttpStatusCode expected)
    {
        var device = await Node.Client.Devices.CreateAsync(NewId("bad"), cancellationToken: Ct);
        using var http = Node.CreateHttpClient();

        using var response = await http.PostAsync($"/devices/{device.DeviceId}/regenerateKey", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(device.Authentication, (await Node.Client.Devices.GetAsync(device.DeviceId, Ct)).Authentication);
    }

    [Fact]
    public async Task AnX509Device_HasNoKeysToRegenerate_AndAnUnknownOneIsNotFound()
    {
        var thumbprint = new string('A', 40);
        var device = await Node.Client.Devices.CreateAsync(NewId("x509"), new DeviceFabric.Devices.DeviceSettings(
            Authentication: new DeviceFabric.Devices.DeviceAuthentication(DeviceFabric.Devices.DeviceAuthenticationType.SelfSigned, PrimaryThumbprint: thumbprint)), Ct);
        using var http = Node.CreateHttpClient();

        using var x509 = await http.PostAsJsonAsync($"/devices/{device.DeviceId}/regenerateKey", new { keyType = "primary" }, Ct);
        using var unknown = await http.PostAsJsonAsync($"/devices/{NewId("nobody")}/regenerateKey", new { keyType = "primary" }, Ct);
        using var stale = await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/devices/{device.DeviceId}/regenerateKey")
        {
            Content = JsonContent.Create(new { keyType = "primary" }),
            Headers = { { "If-Match", "\"AAAAAAAAAAA=\"" } },
        }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, x509.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
    }

    internal static async Task<JsonElement> RegenerateAsync(HttpClient http, string deviceId, string keyType)
    {
        using var response = await http.PostAsJsonAsync($"/devices/{deviceId}/regenerateKey", new { keyType }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..24];
}
