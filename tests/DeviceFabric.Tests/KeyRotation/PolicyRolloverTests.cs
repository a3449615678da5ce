using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DeviceFabric.Security;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;

namespace DeviceFabric.Tests.KeyRotation;

/// <summary>
/// Hub policies are listed, created, changed, rolled over and deleted over REST and the SDK; a replaced key is dead at
/// once for REST calls, and the device sessions that authenticated with it close, while those on the other key stay.
/// </summary>
public sealed class PolicyRolloverTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private static readonly TimeSpan s_closeDeadline = TimeSpan.FromSeconds(5);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TestNode Node => fixture.Node;

    [Fact]
    public async Task RegeneratingAPolicysPrimary_ClosesTheDeviceSessionsSignedWithIt_AndKeepsThoseOnItsSecondary()
    {
        Node.Logs.Expect("Refused MQTT connect");
        using var http = Node.CreateHttpClient();
        var policy = await PutPolicyAsync(http, NewName("gateway"), "DeviceConnect");
        var onPrimary = await Node.Client.Devices.CreateAsync(NewId("gw-primary"), cancellationToken: Ct);
        var onSecondary = await Node.Client.Devices.CreateAsync(NewId("gw-secondary"), cancellationToken: Ct);
        var (primaryClient, r1) = await MqttDevice.ConnectAsync(Node, onPrimary.DeviceId, PolicyToken(onPrimary.DeviceId, policy, primary: true));
        var (secondaryClient, r2) = await MqttDevice.ConnectAsync(Node, onSecondary.DeviceId, PolicyToken(onSecondary.DeviceId, policy, primary: false));
        using var _ = primaryClient;
        using var __ = secondaryClient;
        Assert.Equal(MqttClientConnectResultCode.Success, r1.ResultCode);
        Assert.Equal(MqttClientConnectResultCode.Success, r2.ResultCode);
        var primaryClosed = MqttDevice.WhenDisconnected(primaryClient);

        using var response = await http.PostAsJsonAsync($"/policies/{policy.KeyName}/regenerateKey", new { keyType = "primary" }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await primaryClosed.WaitAsync(s_closeDeadline, Ct);
        Assert.True(secondaryClient.IsConnected);
        var ack = await secondaryClient.PublishStringAsync($"devices/{onSecondary.DeviceId}/messages/events/", "up", MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: Ct);
        Assert.True(ack.IsSuccess);
        var (refused, result) = await MqttDevice.ConnectAsync(Node, onPrimary.DeviceId, PolicyToken(onPrimary.DeviceId, policy, primary: true), source: LoopbackSources.Unique());
        using var ___ = refused;
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, result.ResultCode);
    }

    [Fact]
    public async Task ARolledOverServicePolicyKey_IsRefusedAtOnceOverRest_AndTheOtherKeyStillWorks()
    {
        Node.Logs.Expect("Refused a service token");
        using var owner = Node.CreateHttpClient();
        var policy = await PutPolicyAsync(owner, NewName("reader"), "RegistryRead");
        using var withPrimary = Node.CreateHttpClient(SharedAccessSignature.Create("localhost", policy.PrimaryKey, policy.KeyName, DateTimeOffset.UtcNow.AddHours(1)));
        using var withSecondary = Node.CreateHttpClient(SharedAccessSignature.Create("localhost", policy.SecondaryKey, policy.KeyName, DateTimeOffset.UtcNow.AddHours(1)));
        Assert.Equal(HttpStatusCode.OK, (await withPrimary.GetAsync("/statistics/devices", Ct)).StatusCode);

        var rolled = await Node.Client.Security.RegeneratePolicyKeyAsync(policy.KeyName, KeyRollover.Primary, Ct);

        Assert.NotEqual(policy.PrimaryKey, rolled.PrimaryKey);
        Assert.Equal(policy.SecondaryKey, rolled.SecondaryKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await withPrimary.GetAsync("/statistics/devices", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await withSecondary.GetAsync("/statistics/devices", Ct)).StatusCode);
        // Its rights are its own: a reader cannot manage policies.
        Assert.Equal(HttpStatusCode.Unauthorized, (await withSecondary.GetAsync("/policies", Ct)).StatusCode);
    }

    [Fact]
    public async Task DeletingAPolicy_ClosesItsSessions_AndRemovingDeviceConnectDoesToo()
    {
        Node.Logs.Expect("Refused MQTT connect");
        using var http = Node.CreateHttpClient();
        var deleted = await PutPolicyAsync(http, NewName("doomed"), "DeviceConnect");
        var narrowed = await PutPolicyAsync(http, NewName("narrowed"), "DeviceConnect, ServiceConnect");
        var a = await Node.Client.Devices.CreateAsync(NewId("doomed"), cancellationToken: Ct);
        var b = await Node.Client.Devices.CreateAsync(NewId("narrowed"), cancellationToken: Ct);
        var (clientA, _) = await MqttDevice.ConnectAsync(Node, a.DeviceId, PolicyToken(a.DeviceId, deleted, primary: true));
        var (clientB, _) = await MqttDevice.ConnectAsync(Node, b.DeviceId, PolicyToken(b.DeviceId, narrowed, primary: false));
        using var _ = clientA;
        using var __ = clientB;
        var closedA = MqttDevice.WhenDisconnected(clientA);
        var closedB = MqttDevice.WhenDisconnected(clientB);

        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"/policies/{deleted.KeyName}", Ct)).StatusCode);
        await PutPolicyAsync(http, narrowed.KeyName, "ServiceConnect");

        await closedA.WaitAsync(s_closeDeadline, Ct);
        await closedB.WaitAsync(s_closeDeadline, Ct);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/policies/{deleted.KeyName}", Ct)).StatusCode);
        var kept = (await Node.Client.Security.ListPoliciesAsync(Ct)).Single(p => p.KeyName == narrowed.KeyName);
        Assert.Equal(AccessRights.ServiceConnect, kept.Rights);
        Assert.Equal(narrowed.PrimaryKey, kept.PrimaryKey);
    }

    [Fact]
    public async Task EachFrontEnd_RemembersARecentWithdrawal_ForConnectionsItRegistersJustAfter()
    {
        using var http = Node.CreateHttpClient();
        var policy = await PutPolicyAsync(http, NewName("remember"), "DeviceConnect");
        var watch = Node.Services.GetRequiredService<DeviceFabric.Mqtt.Sessions.CredentialWatch>();
        var oldKey = SessionCredential.PolicyKey(policy.KeyName, policy.PrimaryKey);
        var otherKey = SessionCredential.PolicyKey(policy.KeyName, policy.SecondaryKey);
        Assert.False(watch.WithdrawnRecently("devicefabric", oldKey));

        await Node.Client.Security.RegeneratePolicyKeyAsync(policy.KeyName, KeyRollover.Primary, Ct);

        // The withdrawal travels on the hub's credentials stream: wait for this front end to have heard it.
        var deadline = DateTimeOffset.UtcNow.AddSeconds(10);
        while (!watch.WithdrawnRecently("devicefabric", oldKey) && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(10, Ct);
        }

        Assert.True(watch.WithdrawnRecently("devicefabric", oldKey));
        Assert.False(watch.WithdrawnRecently("devicefabric", otherKey));
        Assert.False(watch.WithdrawnRecently("another-hub", oldKey));
    }

    [Theory]
    [InlineData("bad name!", "{\"rights\":\"RegistryRead\"}")]
    [InlineData("okname", "{\"rights\":\"RegistryRead, Everything\"}")]
    [InlineData("okname", "{\"rights\":\"\"}")]
    [InlineData("okname", "{\"rights\":\"RegistryRead\",\"primaryKey\":\"short\"}")]
    public async Task InvalidPolicies_AreRefused_AndCreateNothing(string name, string body)
    {
        using var http = Node.CreateHttpClient();
        var before = await Node.Client.Security.ListPoliciesAsync(Ct);

        using var response = await http.PutAsync($"/policies/{Uri.EscapeDataString(name)}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before.Count, (await Node.Client.Security.ListPoliciesAsync(Ct)).Count);
    }

    [Fact]
    public async Task TheLastPolicyWithEveryRight_CannotBeDeletedOrNarrowed()
    {
        using var http = Node.CreateHttpClient();

        using var delete = await http.DeleteAsync("/policies/iothubowner", Ct);
        using var narrow = await http.PutAsJsonAsync("/policies/iothubowner", new { rights = "RegistryRead" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, delete.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, narrow.StatusCode);
        var listed = await http.GetFromJsonAsync<JsonElement>("/policies", Ct);
        var owner = listed.GetProperty("value").EnumerateArray().Single(p => p.GetProperty("keyName").GetString() == "iothubowner");
        Assert.Equal("RegistryRead, RegistryWrite, ServiceConnect, DeviceConnect", owner.GetProperty("rights").GetString());
    }

    private static async Task<SharedAccessPolicy> PutPolicyAsync(HttpClient http, string name, string rights)
    {
        using var response = await http.PutAsJsonAsync($"/policies/{name}", new { keyName = name, rights }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return new SharedAccessPolicy(
            json.GetProperty("keyName").GetString()!,
            DeviceFabric.Contracts.Security.SecurityMapper.ParseRights(json.GetProperty("rights").GetString()),
            json.GetProperty("primaryKey").GetString()!,
            json.GetProperty("secondaryKey").GetString()!);
    }

    private static string PolicyToken(string deviceId, SharedAccessPolicy policy, bool primary) =>
        MqttDevice.Token(deviceId, primary ? policy.PrimaryKey : policy.SecondaryKey, policy: policy.KeyName);

    private static string NewName(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..16];

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..24];
}
