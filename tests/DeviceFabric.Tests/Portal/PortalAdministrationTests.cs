using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using DeviceFabric.Devices;
using DeviceFabric.Tests.Infrastructure;
using DeviceFabric.Tests.KeyRotation;
using Microsoft.Playwright;

namespace DeviceFabric.Tests.Portal;

/// <summary>
/// The portal's administration actions (a CA's proof of possession and deletion, policies and their keys, certificate
/// revocations, routing, bulk disabling), each checked through the REST API afterwards.
/// </summary>
public sealed class PortalAdministrationTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_CA_is_verified_with_a_proof_of_possession_and_deleted_from_the_page()
    {
        using var authority = TestAuthority.CreateRoot("Portal Verify CA");
        var name = "verify-" + Guid.NewGuid().ToString("N")[..8];
        using var rest = HttpsClients.Create(fixture.Node);
        await CaSteps.UploadAsync(rest, name, authority);

        var page = await fixture.SignedInPageAsync();
        await PortalPages.OpenAsync(page, "Certificates");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Generate a verification code for {name}" }).ClickAsync();
        var code = (await page.GetByTestId("verification-code").TextContentAsync())!.Trim();
        Assert.False(string.IsNullOrEmpty(code));
        using var proof = authority.Issue(code);
        await page.Locator("#certificate-proof textarea").FillAsync(proof.ExportCertificatePem());
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify certificate" }).ClickAsync();
        await Assertions.Expect(page.GetByText($"{name} is verified.")).ToBeVisibleAsync();
        var stored = JsonNode.Parse(await rest.GetStringAsync($"certificates/{name}", Ct))!;
        Assert.True((bool)stored["properties"]!["isVerified"]!);

        await page.GetByRole(AriaRole.Button, new() { Name = $"Delete {name}" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("certificate-name").Filter(new() { HasText = name })).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.NotFound, (await rest.GetAsync($"certificates/{name}", Ct)).StatusCode);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_policy_is_created_its_key_regenerated_and_deleted_and_a_revocation_added_and_removed()
    {
        var name = "portal" + Guid.NewGuid().ToString("N")[..8];
        using var rest = HttpsClients.Create(fixture.Node);
        var page = await fixture.SignedInPageAsync();
        await PortalPages.OpenAsync(page, "Access policies");
        await page.Locator("#policy-id input").FillAsync(name);
        await page.Locator("#policy-json textarea").FillAsync("""{ "rights": "RegistryRead, ServiceConnect" }""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save policy" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId($"rights-{name}")).ToContainTextAsync("ServiceConnect");
        var created = JsonNode.Parse(await rest.GetStringAsync($"policies/{name}", Ct))!;
        Assert.Equal("RegistryRead, ServiceConnect", (string?)created["rights"]);

        await page.GetByRole(AriaRole.Button, new() { Name = $"Regenerate the primary key of {name}" }).ClickAsync();
        await Assertions.Expect(page.GetByText($"Regenerated the primary key of {name}.")).ToBeVisibleAsync();
        var regenerated = JsonNode.Parse(await rest.GetStringAsync($"policies/{name}", Ct))!;
        Assert.NotEqual((string?)created["primaryKey"], (string?)regenerated["primaryKey"]);
        Assert.Equal((string?)created["secondaryKey"], (string?)regenerated["secondaryKey"]);

        await page.GetByRole(AriaRole.Button, new() { Name = $"Delete policy {name}" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("policy-name").Filter(new() { HasText = name })).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.NotFound, (await rest.GetAsync($"policies/{name}", Ct)).StatusCode);

        var thumbprint = Convert.ToHexString(RandomNumberGenerator.GetBytes(20));
        await page.Locator("#revoke-thumbprint input").FillAsync(thumbprint);
        await page.Locator("#revoke-reason input").FillAsync("lost in the field");
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke certificate" }).ClickAsync();
        var removal = page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex($"Remove the revocation of .*{thumbprint}", System.Text.RegularExpressions.RegexOptions.IgnoreCase) });
        await Assertions.Expect(removal).ToBeVisibleAsync();
        Assert.Contains(thumbprint, await rest.GetStringAsync("certificates/revocations", Ct), StringComparison.OrdinalIgnoreCase);
        await removal.ClickAsync();
        await Assertions.Expect(removal).ToHaveCountAsync(0);
        Assert.DoesNotContain(thumbprint, await rest.GetStringAsync("certificates/revocations", Ct), StringComparison.OrdinalIgnoreCase);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Routing_saved_from_the_page_is_the_hubs_and_a_condition_that_does_not_parse_is_refused_with_its_position()
    {
        using var rest = HttpsClients.Create(fixture.Node);
        var page = await fixture.SignedInPageAsync();
        await PortalPages.OpenAsync(page, "Routing");
        var editor = page.Locator("#routing-json textarea");
        await Assertions.Expect(editor).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("routes"));
        await editor.FillAsync("""
            {"endpoints":[{"name":"portal-log","kind":"log"}],
             "routes":[{"name":"critical","source":"DeviceMessages","condition":"level = 'critical'","endpointNames":["portal-log"],"isEnabled":true}]}
            """);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save routing" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Saved.")).ToBeVisibleAsync();
        var stored = JsonNode.Parse(await rest.GetStringAsync("routing", Ct))!;
        Assert.Equal("level = 'critical'", (string?)stored["routes"]![0]!["condition"]);

        await editor.FillAsync("""{"endpoints":[{"name":"portal-log","kind":"log"}],"routes":[{"name":"bad","source":"DeviceMessages","condition":"level = = 'x'","endpointNames":["portal-log"]}]}""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save routing" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("position");
        stored = JsonNode.Parse(await rest.GetStringAsync("routing", Ct))!;
        Assert.Equal("critical", (string?)stored["routes"]![0]!["name"]);

        await editor.FillAsync("""{"routes": [""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save routing" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Invalid JSON")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Devices_selected_on_the_list_are_disabled_and_enabled_together()
    {
        var prefix = "bulk-" + Guid.NewGuid().ToString("N")[..8];
        string[] ids = [prefix + "-a", prefix + "-b"];
        foreach (var id in ids)
        {
            await fixture.Node.Client.Devices.CreateAsync(id, cancellationToken: Ct);
        }

        var page = await fixture.SignedInPageAsync();
        await PortalPages.OpenAsync(page, "Devices");
        await page.Locator("#device-query input").FillAsync($"SELECT * FROM devices WHERE STARTSWITH(deviceId, '{prefix}')");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run query" }).ClickAsync();
        // The header row and the two devices: the query's answer has replaced the first list.
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Devices" }).GetByRole(AriaRole.Row)).ToHaveCountAsync(3);
        var selected = 0;
        foreach (var id in ids)
        {
            await page.GetByRole(AriaRole.Checkbox, new() { Name = $"Select {id}" }).ClickAsync();
            await Assertions.Expect(page.GetByText($"{++selected} selected")).ToBeVisibleAsync();
        }

        await Assertions.Expect(page.GetByText("2 selected")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Disable selected" }).ClickAsync();
        await Assertions.Expect(page.GetByText("0 selected")).ToBeVisibleAsync();
        foreach (var id in ids)
        {
            Assert.Equal(DeviceStatus.Disabled, (await fixture.Node.Client.Devices.GetAsync(id, Ct)).Status);
        }

        await page.GetByRole(AriaRole.Checkbox, new() { Name = $"Select {ids[0]}" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Enable selected" }).ClickAsync();
        await Assertions.Expect(page.GetByText("0 selected")).ToBeVisibleAsync();
        Assert.Equal(DeviceStatus.Enabled, (await fixture.Node.Client.Devices.GetAsync(ids[0], Ct)).Status);
        Assert.Equal(DeviceStatus.Disabled, (await fixture.Node.Client.Devices.GetAsync(ids[1], Ct)).Status);
        await page.Context.CloseAsync();
    }
}
