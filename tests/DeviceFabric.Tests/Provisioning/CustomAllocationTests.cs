using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace DeviceFabric.Tests.Provisioning;

/// <summary>A custom allocation policy asks a webhook (a real HTTP server here) for the hub, the initial twin and a payload; when it fails, the registration fails cleanly.</summary>
public sealed class CustomAllocationTests(ProvisioningFixture fixture) : IClassFixture<ProvisioningFixture>, IAsyncLifetime
{
    private WebhookServer _webhook = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _webhook = await WebhookServer.StartAsync();

    public async ValueTask DisposeAsync() => await _webhook.DisposeAsync();

    [Fact]
    public async Task TheWebhookPicksTheHub_TheTwinAndThePayload()
    {
        var id = ProvisioningFixture.NewId("custom");
        var key = await EnrollAsync(id);
        _webhook.Answer = _ => Task.FromResult(Results.Json(new
        {
            iotHubHostName = ProvisioningFixture.SecondHost,
            initialTwin = new { tags = new { chosenBy = "webhook" } },
            payload = new { greeting = "hello" },
        }));

        var (status, body) = await fixture.RegisterAsync(id, key, """{"model":"t-1000"}""");

        Assert.Equal(200, status);
        var state = body.GetProperty("registrationState");
        Assert.Equal(ProvisioningFixture.SecondHost, state.GetProperty("assignedHub").GetString());
        Assert.Equal("hello", state.GetProperty("payload").GetProperty("greeting").GetString());

        var request = await _webhook.NextRequestAsync();
        Assert.Equal(id, request.GetProperty("deviceRuntimeContext").GetProperty("registrationId").GetString());
        Assert.Equal("t-1000", request.GetProperty("deviceRuntimeContext").GetProperty("payload").GetProperty("model").GetString());
        Assert.Equal(2, request.GetProperty("linkedHubs").GetArrayLength());
        Assert.False(request.GetProperty("individualEnrollment").GetProperty("attestation").TryGetProperty("symmetricKey", out _), "the webhook must not see the keys");

        var plantB = new DeviceFabric.Client.DeviceFabricClient(fixture.Node.Services.GetRequiredService<IClusterClient>(), ProvisioningFixture.SecondHub);
        Assert.Equal("webhook", (await plantB.Twins.GetAsync(id, Ct))["tags"]!["chosenBy"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("error")]
    [InlineData("unknown hub")]
    [InlineData("no answer")]
    public async Task AFailingWebhook_FailsTheRegistrationCleanly(string failure)
    {
        fixture.Node.Logs.Expect("The registration of");
        var id = ProvisioningFixture.NewId("custom-fail");
        var key = await EnrollAsync(id);
        var never = new TaskCompletionSource<IResult>();
        _webhook.Answer = failure switch
        {
            "error" => _ => Task.FromResult(Results.StatusCode(500)),
            "unknown hub" => _ => Task.FromResult(Results.Json(new { iotHubHostName = "elsewhere.example" })),
            _ => _ => never.Task,
        };

        var (status, body) = await fixture.RegisterAsync(id, key);
        never.TrySetResult(Results.StatusCode(500));

        Assert.Equal(200, status);
        Assert.Equal("failed", body.GetProperty("status").GetString());
        Assert.Equal(424001, body.GetProperty("registrationState").GetProperty("errorCode").GetInt32());
        var missing = await Assert.ThrowsAsync<DeviceFabric.Client.DeviceFabricServiceException>(() => fixture.Node.Client.Devices.GetAsync(id, Ct));
        Assert.Equal(DeviceFabricErrorCode.DeviceNotFound, missing.ErrorCode);
    }

    private async Task<string> EnrollAsync(string id)
    {
        var enrollment = await fixture.PutAsync($"/enrollments/{id}", """
            {"attestation":{"type":"symmetricKey"},"allocationPolicy":"custom","customAllocationDefinition":{"webhookUrl":"URL","apiVersion":"2021-10-01"}}
            """.Replace("URL", _webhook.Url, StringComparison.Ordinal));
        return enrollment.GetProperty("attestation").GetProperty("symmetricKey").GetProperty("primaryKey").GetString()!;
    }
}
