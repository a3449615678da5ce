using System.Net;
using System.Text.Json.Nodes;
using DeviceFabric.Events;
using DeviceFabric.Tests.Infrastructure;
using DeviceFabric.Tests.Updates;
using Microsoft.Playwright;

namespace DeviceFabric.Tests.Portal;

/// <summary>
/// The overview's lifecycle feed and a device's connection history after a real MQTT session, and what the management
/// pages create (configurations, alert rules, enrollments, digital twins, update deployments), each checked through
/// the REST API.
/// </summary>
public sealed class PortalManagementTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task The_overview_lists_a_devices_lifecycle_and_its_page_its_connection_history()
    {
        var events = new Recorder<DeviceLifecycleEvent>();
        await using var subscription = await fixture.Node.Client.Events.SubscribeAsync(events.Add, Ct);
        var device = await fixture.Node.Client.Devices.CreateAsync(NewId("portal-life"), cancellationToken: Ct);
        await MqttDevice.ConnectAndLeaveAsync(fixture.Node, device.DeviceId, device.Authentication.PrimaryKey!);
        await events.WaitForAsync(e => e.DeviceId == device.DeviceId && e.Kind == DeviceLifecycleKind.Disconnected);

        var page = await fixture.SignedInPageAsync();
        // The overview refreshes itself: the feed reaches it without a reload.
        var rows = page.GetByRole(AriaRole.Table, new() { Name = "Recent lifecycle events" }).GetByRole(AriaRole.Row).Filter(new() { HasText = device.DeviceId });
        await Assertions.Expect(rows).ToHaveCountAsync(3, new() { Timeout = 15_000 });
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("disconnected");
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync("connected");
        await Assertions.Expect(rows.Nth(2)).ToContainTextAsync("created");

        await PortalPages.OpenDeviceAsync(page, device.DeviceId);
        await Assertions.Expect(page.GetByTestId("connection-change")).ToHaveTextAsync(["Disconnected", "Connected"]);
        await PortalFixture.ScreenshotAsync(page, "device-connection-history");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_configuration_and_an_alert_rule_created_on_their_pages_are_the_hubs_and_are_deleted_there()
    {
        var configurationId = NewId("portal-cfg");
        var ruleId = NewId("portal-rule");
        using var rest = HttpsClients.Create(fixture.Node);
        var page = await fixture.SignedInPageAsync();

        await PortalPages.OpenAsync(page, "Configurations");
        await page.Locator("#configuration-id input").FillAsync(configurationId);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create configuration" }).ClickAsync();
        await Assertions.Expect(page.GetByText($"Saved {configurationId}.")).ToBeVisibleAsync();
        var configuration = JsonNode.Parse(await rest.GetStringAsync($"configurations/{configurationId}", Ct))!;
        Assert.Equal("tags.environment = 'test'", (string?)configuration["targetCondition"]);
        Assert.Equal(10, (int)configuration["priority"]!);
        await page.GetByRole(AriaRole.Button, new() { Name = $"Delete configuration {configurationId}" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Delete configuration {configurationId}" })).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.NotFound, (await rest.GetAsync($"configurations/{configurationId}", Ct)).StatusCode);

        await PortalPages.OpenAsync(page, "Alerts");
        await page.Locator("#alert-rule-id input").FillAsync(ruleId);
        await page.Locator("#alert-rule-json textarea").FillAsync("""{ "source": "telemetry", "condition": "body.temperature > 40", "severity": "critical" }""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save rule" }).ClickAsync();
        await Assertions.Expect(page.GetByText($"Saved {ruleId}.")).ToBeVisibleAsync();
        var rule = JsonNode.Parse(await rest.GetStringAsync($"alerts/rules/{ruleId}", Ct))!;
        Assert.Equal("critical", (string?)rule["severity"]);

        await page.Locator("#alert-rule-json textarea").FillAsync("""{ "condition": "body.temperature > > 40" }""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save rule" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        Assert.Equal("body.temperature > 40", (string?)JsonNode.Parse(await rest.GetStringAsync($"alerts/rules/{ruleId}", Ct))!["condition"]);

        await page.GetByRole(AriaRole.Button, new() { Name = $"Delete alert rule {ruleId}" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Delete alert rule {ruleId}" })).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.NotFound, (await rest.GetAsync($"alerts/rules/{ruleId}", Ct)).StatusCode);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_enrollment_created_on_its_page_is_the_provisioning_services()
    {
        var registrationId = NewId("portal-enr");
        var provisioning = (await File.ReadAllTextAsync(Path.Combine(fixture.Node.DataDirectory, "provisioning-connection-string.txt"), Ct)).Trim();
        using var dps = HttpsClients.Create(fixture.Node, ServiceToken.FromConnectionString(provisioning));
        var page = await fixture.SignedInPageAsync();
        await PortalPages.OpenAsync(page, "Enrollments");
        await page.GetByLabel("Provisioning service connection string").FillAsync(provisioning);
        await page.GetByRole(AriaRole.Button, new() { Name = "Use it" }).ClickAsync();

        await page.Locator("#enrollment-id input").FillAsync(registrationId);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save enrollment", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByText($"Saved {registrationId}.")).ToBeVisibleAsync();
        var enrollment = JsonNode.Parse(await dps.GetStringAsync($"enrollments/{registrationId}", Ct))!;
        Assert.Equal("symmetricKey", (string?)enrollment["attestation"]!["type"]);
        Assert.False(string.IsNullOrEmpty((string?)enrollment["attestation"]!["symmetricKey"]!["primaryKey"]));
        Assert.Equal("test", (string?)enrollment["initialTwin"]!["tags"]!["environment"]);

        await page.GetByRole(AriaRole.Button, new() { Name = $"Delete enrollment {registrationId}" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Delete enrollment {registrationId}" })).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.NotFound, (await dps.GetAsync($"enrollments/{registrationId}", Ct)).StatusCode);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Models_twins_a_relationship_and_a_device_binding_made_on_the_digital_twins_page_are_stored()
    {
        var ns = "portal" + Guid.NewGuid().ToString("N")[..6];
        var (first, second) = ($"{ns}-room1", $"{ns}-room2");
        var page = await fixture.SignedInPageAsync();
        await PortalPages.OpenAsync(page, "Digital twins");
        await page.Locator("#dt-models-json textarea").FillAsync($$"""
            [{ "@id": "dtmi:{{ns}}:Room;1", "@type": "Interface", "@context": "dtmi:dtdl:context;2",
               "contents": [{ "@type": "Property", "name": "temperature", "schema": "double" }, { "@type": "Relationship", "name": "next" }] }]
            """);
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload models" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Saved.", new() { Exact = true })).ToBeVisibleAsync();
        foreach (var id in new[] { first, second })
        {
            await page.Locator("#dt-twin-id input").FillAsync(id);
            await page.Locator("#dt-twin-json textarea").FillAsync($$"""{ "$metadata": { "$model": "dtmi:{{ns}}:Room;1" }, "temperature": 20 }""");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save twin" }).ClickAsync();
            await Assertions.Expect(page.GetByText($"Saved {id}.")).ToBeVisibleAsync();
        }

        await page.Locator("#dt-twin-json textarea").FillAsync($$"""{ "$metadata": { "$model": "dtmi:{{ns}}:Room;1" }, "temperature": "warm" }""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save twin" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();

        await page.Locator("#dt-relationship-json textarea").FillAsync(
            $$"""{ "$relationshipId": "r1", "$sourceId": "{{first}}", "$targetId": "{{second}}", "$relationshipName": "next" }""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save relationship" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Saved.", new() { Exact = true })).ToHaveCountAsync(2);

        using var twins = fixture.Node.CreateHttpClient();
        twins.BaseAddress = new Uri($"https://127.0.0.1:{fixture.Node.DigitalTwinsPort}");
        var stored = JsonNode.Parse(await twins.GetStringAsync($"digitaltwins/{second}?api-version=2023-10-31", Ct))!;
        Assert.Equal(20, (double)stored["temperature"]!);
        var relationship = JsonNode.Parse(await twins.GetStringAsync($"digitaltwins/{first}/relationships/r1?api-version=2023-10-31", Ct))!;
        Assert.Equal(second, (string?)relationship["$targetId"]);

        var device = await fixture.Node.Client.Devices.CreateAsync(NewId("portal-bound"), cancellationToken: Ct);
        await page.GetByRole(AriaRole.Tab, new() { Name = "Device bindings" }).ClickAsync();
        await page.Locator("#binding-rule-id input").FillAsync(ns + "-rule");
        await page.Locator("#binding-rule-json textarea").FillAsync($$"""{ "modelId": "dtmi:{{ns}}:Room;1", "twinIdPattern": "{{ns}}-{deviceId}", "createTwins": true }""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save binding rule" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("binding-rule").GetByText(ns + "-rule")).ToBeVisibleAsync();
        await page.Locator("#binding-device-id input").FillAsync(device.DeviceId);
        await page.Locator("#binding-device-json textarea").FillAsync($$"""{ "twinId": "{{first}}" }""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Bind device" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Unbind {device.DeviceId}" })).ToBeVisibleAsync();
        var bindings = JsonNode.Parse(await twins.GetStringAsync("bindings?api-version=2023-10-31", Ct))!;
        Assert.Equal(first, (string?)bindings["devices"]![device.DeviceId]);
        Assert.Contains(bindings["rules"]!.AsArray(), r => (string?)r!["ruleId"] == ns + "-rule");
        await PortalFixture.ScreenshotAsync(page, "digital-twins-created");

        await page.GetByRole(AriaRole.Button, new() { Name = $"Unbind {device.DeviceId}" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Unbind {device.DeviceId}" })).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = $"Delete binding rule {ns}-rule" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("binding-rule").GetByText(ns + "-rule")).ToHaveCountAsync(0);
        bindings = JsonNode.Parse(await twins.GetStringAsync("bindings?api-version=2023-10-31", Ct))!;
        Assert.Null(bindings["devices"]![device.DeviceId]);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_update_imported_on_its_page_is_listed_and_a_deployment_of_one_the_hub_lacks_is_refused()
    {
        await using var server = new LocalFileServer();
        var provider = "portal" + Guid.NewGuid().ToString("N")[..8];
        var file = System.Security.Cryptography.RandomNumberGenerator.GetBytes(20_000);
        var manifest = UpdateImportApiTests.Manifest(provider, file);
        var body = UpdateImportApiTests.ImportJson(server.Add("m.json", manifest), manifest, server.Add("fw.bin", file));

        var page = await fixture.SignedInPageAsync();
        await PortalPages.OpenAsync(page, "Update rollouts");
        await page.Locator("#update-import-json textarea").FillAsync(body);
        await page.GetByRole(AriaRole.Button, new() { Name = "Import update" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("import-status")).ToHaveTextAsync("Succeeded", new() { Timeout = 20_000 });
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Imported updates" })).ToContainTextAsync(provider);
        using var rest = HttpsClients.Create(fixture.Node);
        var update = JsonNode.Parse(await rest.GetStringAsync($"deviceUpdate/devicefabric/updates/providers/{provider}/names/toaster/versions/3.0", Ct))!;
        Assert.Equal(provider, (string?)update["updateId"]!["provider"]);

        await page.Locator("#deployment-id input").FillAsync(NewId("portal-dep"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Start deployment" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("api-error")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Saved", new() { Exact = false }).Filter(new() { HasText = "portal-dep" })).ToHaveCountAsync(0);
        await PortalFixture.ScreenshotAsync(page, "updates-imported");
        await page.Context.CloseAsync();
    }
}
