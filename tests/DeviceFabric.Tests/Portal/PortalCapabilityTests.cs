using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using DeviceFabric.Tests.Infrastructure;
using Microsoft.Playwright;
using MQTTnet;
using MQTTnet.Protocol;

namespace DeviceFabric.Tests.Portal;

/// <summary>
/// The portal's hub administration pages (certificates, policies, modules, jobs, telemetry, import/export) and a
/// device's methods and messages, each checked through the REST API or a real MQTT device.
/// </summary>
public sealed class PortalCapabilityTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_certificates_page_uploads_a_CA_and_lists_it()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Portal Test CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(2));
        var name = "portal-ca-" + Guid.NewGuid().ToString("N")[..8];

        var page = await fixture.SignedInPageAsync();
        await PortalPages.OpenAsync(page, "Certificates");
        await page.Locator("#certificate-name input").FillAsync(name);
        await page.Locator("#certificate-pem textarea").FillAsync(ca.ExportCertificatePem());
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload certificate" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("certificate-name").Filter(new() { HasText = name })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText(ca.Thumbprint)).ToBeVisibleAsync();

        using var rest = HttpsClients.Create(fixture.Node);
        var stored = JsonNode.Parse(await rest.GetStringAsync($"certificates/{name}", Ct))!;
        Assert.Equal(ca.Thumbprint, (string)stored["properties"]!["thumbprint"]!, ignoreCase: true);
        await PortalFixture.ScreenshotAsync(page, "certificates");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_policies_page_lists_the_owner_with_its_rights_and_shows_keys_only_when_asked()
    {
        var page = await fixture.SignedInPageAsync();
        await PortalPages.OpenAsync(page, "Access policies");
        await Assertions.Expect(page.GetByTestId("policy-name").Filter(new() { HasText = "iothubowner" })).ToBeVisibleAsync();
        var rights = page.GetByTestId("rights-iothubowner");
        foreach (var right in new[] { "RegistryRead", "RegistryWrite", "ServiceConnect", "DeviceConnect" })
        {
            await Assertions.Expect(rights).ToContainTextAsync(right);
        }

        var ownerKey = fixture.Node.OwnerConnectionString.Trim().Split("SharedAccessKey=")[1];
        Assert.DoesNotContain(ownerKey, await page.ContentAsync(), StringComparison.Ordinal);
        await PortalFixture.ScreenshotAsync(page, "policies");

        await page.GetByRole(AriaRole.Button, new() { Name = "Show keys" }).ClickAsync();
        await Assertions.Expect(page.GetByText(ownerKey, new() { Exact = true }).First).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_module_created_from_the_device_page_exists_and_shows_its_twin()
    {
        var id = "modules-" + Guid.NewGuid().ToString("N")[..8];
        await fixture.Node.Client.Devices.CreateAsync(id, cancellationToken: Ct);
        var page = await fixture.SignedInPageAsync();
        await PortalPages.OpenDeviceAsync(page, id);
        await page.Locator("#new-module-id input").FillAsync("thermostat");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create module" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("module-id").Filter(new() { HasText = "thermostat" })).ToBeVisibleAsync();

        using var rest = HttpsClients.Create(fixture.Node);
        using var response = await rest.GetAsync($"devices/{id}/modules/thermostat", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("thermostat", (string)JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["moduleId"]!);

        await page.GetByRole(AriaRole.Button, new() { Name = "Show the twin of thermostat" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("module-twin")).ToContainTextAsync("\"moduleId\": \"thermostat\"");
        await page.GetByRole(AriaRole.Heading, new() { Name = "Modules", Exact = true }).ScrollIntoViewIfNeededAsync();
        await PortalFixture.ScreenshotAsync(page, "device-modules");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_device_page_calls_a_method_of_a_connected_device_and_sends_it_a_message()
    {
        var id = "answering-" + Guid.NewGuid().ToString("N")[..8];
        var identity = await fixture.Node.Client.Devices.CreateAsync(id, cancellationToken: Ct);
        var (client, _) = await MqttDevice.ConnectAsync(fixture.Node, id, MqttDevice.Token(id, identity.Authentication.PrimaryKey!));
        using var _ = client;
        var delivered = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ApplicationMessageReceivedAsync += async e =>
        {
            var topic = e.ApplicationMessage.Topic;
            var body = e.ApplicationMessage.ConvertPayloadToString() ?? string.Empty;
            if (topic.StartsWith("$iothub/methods/POST/", StringComparison.Ordinal))
            {
                var rid = topic[(topic.IndexOf("$rid=", StringComparison.Ordinal) + "$rid=".Length)..];
                await client.PublishStringAsync($"$iothub/methods/res/201/?$rid={rid}", $$"""{"rebooted":true,"asked":{{body}}}""", MqttQualityOfServiceLevel.AtMostOnce);
            }
            else if (topic.StartsWith($"devices/{id}/messages/devicebound/", StringComparison.Ordinal))
            {
                delivered.TrySetResult(body);
            }
        };
        await client.SubscribeAsync("$iothub/methods/POST/#", MqttQualityOfServiceLevel.AtMostOnce, Ct);
        await client.SubscribeAsync($"devices/{id}/messages/devicebound/#", MqttQualityOfServiceLevel.AtLeastOnce, Ct);

        var page = await fixture.SignedInPageAsync();
        await PortalPages.OpenDeviceAsync(page, id);
        await page.Locator("#method-name input").FillAsync("reboot");
        await page.Locator("#method-payload textarea").FillAsync("""{"delay": 3}""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Invoke method" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Status 201")).ToBeVisibleAsync();
        var response = page.Locator("section[aria-labelledby=method-heading] pre");
        await Assertions.Expect(response).ToContainTextAsync("\"rebooted\": true");
        await Assertions.Expect(response).ToContainTextAsync("\"delay\": 3");

        await page.Locator("#c2d-body textarea").FillAsync("hello from the portal");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send message" }).ClickAsync();
        Assert.Equal("hello from the portal", await delivered.Task.WaitAsync(TimeSpan.FromSeconds(20), Ct));
        await page.Context.CloseAsync();
        await client.DisconnectAsync(cancellationToken: Ct);
    }

    [Fact]
    public async Task The_jobs_page_schedules_a_twin_update_job_that_completes()
    {
        var id = "jobbed-" + Guid.NewGuid().ToString("N")[..8];
        await fixture.Node.Client.Devices.CreateAsync(id, cancellationToken: Ct);
        var jobId = "portal-job-" + Guid.NewGuid().ToString("N")[..8];
        var page = await fixture.SignedInPageAsync();
        await PortalPages.OpenAsync(page, "Jobs");
        await page.GetByLabel("Job id").FillAsync(jobId);
        await page.GetByLabel("Query condition").FillAsync($"deviceId IN ['{id}']");
        await page.Locator("fluent-text-area textarea").FillAsync("""{"properties": {"desired": {"fromJob": 5}}}""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Schedule job" }).ClickAsync();
        await Assertions.Expect(page.GetByText(jobId)).ToBeVisibleAsync();

        using var rest = HttpsClients.Create(fixture.Node);
        await Eventually.HoldsAsync(async () => (string?)JsonNode.Parse(await rest.GetStringAsync($"jobs/v2/{jobId}", Ct))!["status"],
            status => status == "completed", $"job {jobId} completes");
        var twin = JsonNode.Parse(await rest.GetStringAsync($"twins/{id}", Ct))!;
        Assert.Equal(5, (int)twin["properties"]!["desired"]!["fromJob"]!);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_telemetry_page_lists_the_partitions_and_a_groups_checkpoints()
    {
        var page = await fixture.SignedInPageAsync();
        await PortalPages.OpenAsync(page, "Telemetry");
        await Assertions.Expect(page.GetByTestId("partition-id")).ToHaveCountAsync(8);
        await page.Locator("#consumer-group input").FillAsync("portal-" + Guid.NewGuid().ToString("N")[..8]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Show checkpoints" }).ClickAsync();
        await Assertions.Expect(page.GetByText("no checkpoint", new() { Exact = true })).ToHaveCountAsync(8);
        await PortalFixture.ScreenshotAsync(page, "telemetry");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_import_export_page_starts_an_export_that_completes()
    {
        var jobId = "portal-export-" + Guid.NewGuid().ToString("N")[..8];
        var page = await fixture.SignedInPageAsync();
        await PortalPages.OpenAsync(page, "Import/export", "Import and export");
        await page.Locator("#export-job-id input").FillAsync(jobId);
        await page.GetByRole(AriaRole.Button, new() { Name = "Start export" }).ClickAsync();
        await Assertions.Expect(page.GetByText($"Started export {jobId}.")).ToBeVisibleAsync();

        using var rest = HttpsClients.Create(fixture.Node);
        await Eventually.HoldsAsync(async () => (string?)JsonNode.Parse(await rest.GetStringAsync($"jobs/{jobId}", Ct))!["status"],
            status => status == "completed", $"export {jobId} completes");
        await page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("transfer-id").Filter(new() { HasText = jobId })).ToBeVisibleAsync();
        await PortalFixture.ScreenshotAsync(page, "transfers");
        await page.Context.CloseAsync();
    }
}
