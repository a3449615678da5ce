using System.Net;
using DeviceFabric.Security;
using DeviceFabric.Tests.Api;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;

namespace DeviceFabric.Tests.Provisioning;

/// <summary>DPS's answers, step by step, and its refusals: each with DPS's code and body, none leaving a device or a record behind.</summary>
public sealed class RegistrationRefusalTests(ProvisioningFixture fixture) : IClassFixture<ProvisioningFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Register_Answers202WithAnOperationToPoll_AndThePollAnswers200WithTheRecord()
    {
        using var metrics = new Infrastructure.MeterRecorder(fixture.Node.Services.GetRequiredService<DeviceFabric.Mqtt.Provisioning.ProvisioningInstruments>().Meter);
        var id = ProvisioningFixture.NewId("steps");
        var key = await EnrollAsync(id);
        var (_, device) = await DpsDevice.ConnectAsync(fixture.Node, fixture.IdScope, id, DpsDevice.Token(fixture.IdScope, id, key));
        await using var _ = device;

        var registered = await device!.RequestAsync("$dps/registrations/PUT/iotdps-register/?$rid=r1", $$"""{"registrationId":"{{id}}"}""");
        Assert.Equal(202, registered.Status);
        Assert.Equal("assigning", registered.Body.GetProperty("status").GetString());
        Assert.Contains("retry-after=", registered.Query, StringComparison.Ordinal);
        var operationId = registered.Body.GetProperty("operationId").GetString()!;
        Assert.StartsWith("4.", operationId, StringComparison.Ordinal);

        var polled = await device.RequestAsync($"$dps/registrations/GET/iotdps-get-operationstatus/?$rid=r2&operationId={operationId}", " ");
        Assert.Equal(200, polled.Status);
        Assert.Equal(operationId, polled.Body.GetProperty("operationId").GetString());
        Assert.Equal("assigned", polled.Body.GetProperty("registrationState").GetProperty("status").GetString());

        var unknown = await device.RequestAsync("$dps/registrations/GET/iotdps-get-operationstatus/?$rid=r3&operationId=4.nope", " ");
        Assert.Equal(404, unknown.Status);
        Assert.Equal(404201, unknown.Body.GetProperty("errorCode").GetInt32());
        Assert.Equal(3, metrics.Total("devicefabric-provisioning-requests"));
        Assert.Equal(1, metrics.Total("devicefabric-provisioning-outcomes"));
    }

    [Fact]
    public async Task BadCredentials_AreRefusedAtConnect_AndCreateNothing()
    {
        var id = ProvisioningFixture.NewId("refused");
        var key = await EnrollAsync(id);
        var scope = fixture.IdScope;
        var cases = new (string What, string IdScope, string RegistrationId, string Password)[]
        {
            ("wrong key", scope, id, DpsDevice.Token(scope, id, ProvisioningKeysForTest.Other)),
            ("expired token", scope, id, DpsDevice.Token(scope, id, key, TimeSpan.FromHours(-1))),
            ("token of another registration", scope, id, DpsDevice.Token(scope, id + "x", key)),
            ("wrong ID scope", "0ne00000000", id, DpsDevice.Token("0ne00000000", id, key)),
            ("unknown registration", scope, id + "-unknown", DpsDevice.Token(scope, id + "-unknown", key)),
            ("not a token", scope, id, "SharedAccessSignature sr=x"),
        };

        foreach (var (what, idScope, registrationId, password) in cases)
        {
            var (result, device) = await DpsDevice.ConnectAsync(fixture.Node, idScope, registrationId, password);
            Assert.True(result == MqttClientConnectResultCode.NotAuthorized, $"{what}: {result}");
            Assert.Null(device);
        }

        await AssertNothingCreatedAsync(id);
        await AssertNothingCreatedAsync(id + "-unknown");
    }

    [Fact]
    public async Task DisabledEnrollment_IsRefusedWith401_AndCreatesNothing()
    {
        var id = ProvisioningFixture.NewId("disabled");
        var enrollment = await fixture.PutAsync($"/enrollments/{id}", """{"attestation":{"type":"symmetricKey"},"provisioningStatus":"disabled"}""");
        var key = enrollment.GetProperty("attestation").GetProperty("symmetricKey").GetProperty("primaryKey").GetString()!;

        var (status, body) = await fixture.RegisterAsync(id, key);

        Assert.Equal(401, status);
        Assert.Equal(401002, body.GetProperty("errorCode").GetInt32());
        Assert.Contains("disabled", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        await AssertNothingCreatedAsync(id);
    }

    [Fact]
    public async Task ARegisteringDevice_MaySubscribeToItsAnswersOnly_AndIsClosedForPublishingElsewhere()
    {
        fixture.Node.Logs.Expect("a publish that is not a DPS request");
        var id = ProvisioningFixture.NewId("topics");
        var key = await EnrollAsync(id);
        var (client, connect) = await Infrastructure.MqttDevice.ConnectAsync(
            fixture.Node, id, DpsDevice.Token(fixture.IdScope, id, key), username: $"{fixture.IdScope}/registrations/{id}/api-version=2019-03-31");
        using var _ = client;
        Assert.Equal(MqttClientConnectResultCode.Success, connect.ResultCode);

        var subscribed = await client.SubscribeAsync($"devices/{id}/messages/devicebound/#", cancellationToken: Ct);
        Assert.Equal(MqttClientSubscribeResultCode.UnspecifiedError, subscribed.Items.Single().ResultCode); // MQTT 3.1.1 has one failure code, 0x80
        var closed = Infrastructure.MqttDevice.WhenDisconnected(client);
        try
        {
            await client.PublishStringAsync($"devices/{id}/messages/events/", "{}", MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: Ct);
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
            // The node closed the connection before the PUBACK: the outcome this test asks for.
        }

        await closed.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await AssertNothingCreatedAsync(id);
    }

    [Fact]
    public async Task HubAndProvisioningTokens_DoNotOpenEachOther()
    {
        using var hubOwner = fixture.Node.CreateHttpClient();
        var refused = await hubOwner.GetAsync("/enrollments/anything", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("401002", Assert.Single(refused.Headers.GetValues("x-ms-error-code")));
        using var dpsOwner = fixture.Service();
        await ApiAssert.ErrorAsync(await dpsOwner.GetAsync("/devices", Ct), HttpStatusCode.Unauthorized, "IotHubUnauthorizedAccess", 401002);
    }

    private async Task<string> EnrollAsync(string id)
    {
        var enrollment = await fixture.PutAsync($"/enrollments/{id}", """{"attestation":{"type":"symmetricKey"}}""");
        return enrollment.GetProperty("attestation").GetProperty("symmetricKey").GetProperty("primaryKey").GetString()!;
    }

    private async Task AssertNothingCreatedAsync(string id)
    {
        using var http = fixture.Service();
        var response = await http.GetAsync($"/registrations/{id}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("404201", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        using var hub = fixture.Node.CreateHttpClient();
        await ApiAssert.ErrorAsync(await hub.GetAsync($"/devices/{id}", Ct), HttpStatusCode.NotFound, "DeviceNotFound", 404001);
    }

    private static class ProvisioningKeysForTest
    {
        public static readonly string Other = SymmetricKeys.Generate();
    }
}
