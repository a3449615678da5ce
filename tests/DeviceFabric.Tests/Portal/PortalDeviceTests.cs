using System.Text.Json.Nodes;
using DeviceFabric.Tests.Infrastructure;
using Microsoft.Playwright;
using MQTTnet;
using MQTTnet.Protocol;

namespace DeviceFabric.Tests.Portal;

/// <summary>An operator creates a device, edits its twin and watches a real MQTT device answer, in a real browser.</summary>
public sealed class PortalDeviceTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Creates_a_device_edits_its_twin_and_shows_reported_properties_and_telemetry_live()
    {
        var page = await fixture.SignedInPageAsync();
        var id = "portal-" + Guid.NewGuid().ToString("N")[..8];
        await page.GetByRole(AriaRole.Link, new() { Name = "Devices" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Devices", Exact = true })).ToBeVisibleAsync();
        await page.Locator("#new-device-id input").FillAsync(id);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create device" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = id })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = id }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Device {id}" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Listening on")).ToBeVisibleAsync();
        await page.Locator("#twin-json textarea").FillAsync("""{"tags": {"site": "lab"}, "properties": {"desired": {"interval": 7}}}""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save (merge)" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Saved.")).ToBeVisibleAsync();
        using var rest = fixture.Node.CreateHttpClient();
        var twin = JsonNode.Parse(await rest.GetStringAsync($"twins/{id}", Ct))!;
        Assert.Equal(7, (int)twin["properties"]!["desired"]!["interval"]!);
        Assert.Equal("lab", (string)twin["tags"]!["site"]!);

        var identity = await fixture.Node.Client.Devices.GetAsync(id, Ct);
        using var device = await TwinDevice.ConnectAsync(fixture.Node, identity);
        var (status, _, _) = await device.PatchReportedAsync("""{"firmware": "2.4.1"}""");
        Assert.Equal(204, status);
        await Assertions.Expect(page.GetByTestId("reported")).ToContainTextAsync("2.4.1", new() { Timeout = 20_000 });
        await Assertions.Expect(page.GetByTestId("connection-state")).ToHaveTextAsync("Connected", new() { Timeout = 20_000 });

        foreach (var temperature in new[] { 20.5, 21.5, 23 })
        {
            var result = await device.Client.PublishStringAsync($"devices/{id}/messages/events/$.ct=application%2Fjson&$.ce=utf-8",
                $"{{\"temperature\": {temperature.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}", MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: Ct);
            Assert.True(result.IsSuccess);
        }

        await Assertions.Expect(page.GetByText("{\"temperature\": 23}")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Assertions.Expect(page.GetByTestId("chart-line")).ToBeAttachedAsync();
        Assert.Equal(3, (await page.GetByTestId("chart-line").GetAttributeAsync("points"))!.Split(' ').Length);
        await PortalFixture.ScreenshotAsync(page, "device");
        await page.Context.CloseAsync();
        await device.Client.DisconnectAsync(cancellationToken: Ct);
    }

    [Fact]
    public async Task A_twin_save_with_a_stale_etag_shows_the_conflict_and_reloads()
    {
        var id = "stale-" + Guid.NewGuid().ToString("N")[..8];
        await fixture.Node.Client.Devices.CreateAsync(id, cancellationToken: Ct);
        var page = await fixture.SignedInPageAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Devices" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = id }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("twin-etag")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(".+"));
        var etag = await page.GetByTestId("twin-etag").TextContentAsync();

        // Someone else changes the twin after the page loaded it.
        using var rest = fixture.Node.CreateHttpClient();
        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"twins/{id}") { Content = new StringContent("""{"properties":{"desired":{"by":"other"}}}""", System.Text.Encoding.UTF8, "application/json") };
        (await rest.SendAsync(patch, Ct)).EnsureSuccessStatusCode();

        await page.Locator("#twin-json textarea").FillAsync("""{"properties": {"desired": {"by": "portal"}}}""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save (merge)" }).ClickAsync();
        await Assertions.Expect(page.GetByText("The twin changed since it was loaded")).ToBeVisibleAsync();
        await PortalFixture.ScreenshotAsync(page, "twin-conflict");
        var twin = JsonNode.Parse(await rest.GetStringAsync($"twins/{id}", Ct))!;
        Assert.Equal("other", (string)twin["properties"]!["desired"]!["by"]!);

        await page.GetByRole(AriaRole.Button, new() { Name = "Reload the twin" }).ClickAsync();
        await Assertions.Expect(page.GetByText("The twin changed since it was loaded")).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByTestId("twin-etag")).Not.ToHaveTextAsync(etag!);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Every_page_renders_and_is_kept_as_a_screenshot()
    {
        var page = await fixture.SignedInPageAsync();
        await PortalFixture.ScreenshotAsync(page, "overview");
        foreach (var (link, heading, file) in new[]
        {
            ("Devices", "Devices", "devices"), ("Jobs", "Jobs", "jobs"), ("Enrollments", "Enrollments", "enrollments"),
            ("Configurations", "Configurations", "configurations"), ("Update rollouts", "Update rollouts", "updates"),
            ("Digital twins", "Digital twins", "digital-twins"), ("Alerts", "Alerts", "alerts"), ("Routing", "Routing", "routing"),
        })
        {
            await page.GetByRole(AriaRole.Link, new() { Name = link, Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Exact = true, Level = 1 })).ToBeVisibleAsync();
            if (file == "enrollments")
            {
                // Enrollments are the provisioning service's: its own connection string lists them.
                var provisioning = await File.ReadAllTextAsync(Path.Combine(fixture.Node.DataDirectory, "provisioning-connection-string.txt"), Ct);
                await page.GetByLabel("Provisioning service connection string").FillAsync(provisioning.Trim());
                await page.GetByRole(AriaRole.Button, new() { Name = "Use it" }).ClickAsync();
                await Assertions.Expect(page.GetByText("Give the provisioning service's connection string")).ToBeHiddenAsync();
            }

            await Assertions.Expect(page.GetByText("Invalid JSON")).ToBeHiddenAsync();
            await PortalFixture.ScreenshotAsync(page, file);
        }

        await page.Context.CloseAsync();
    }
}
