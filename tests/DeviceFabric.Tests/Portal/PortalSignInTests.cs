using System.Net;
using Microsoft.Playwright;

namespace DeviceFabric.Tests.Portal;

/// <summary>The portal is served by the node (its scripts and Fluent UI's files too) and only to a signed-in operator.</summary>
public sealed class PortalSignInTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task Serves_the_Blazor_script_and_Fluent_UI_files()
    {
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true }) { BaseAddress = fixture.Node.BaseAddress };
        foreach (var path in new[] { "_content/DeviceFabric.Portal/_framework/blazor.web.js", "_content/Microsoft.FluentUI.AspNetCore.Components/css/reboot.css", "_content/DeviceFabric.Portal/portal.css" })
        {
            using var response = await http.GetAsync(path, TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode}");
            // The manifest names the file; an empty answer means it points where the build left nothing.
            Assert.True((await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)).Length > 100, $"{path} is empty");
        }
    }

    [Fact]
    public async Task A_wrong_key_is_refused_and_the_owner_signs_in_and_out()
    {
        var page = await fixture.NewPageAsync();
        // Fluent UI's web components are defined by its script, which Blazor loads: without it no field could be typed in.
        await page.GotoAsync("portal/devices");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/portal/sign-in"));
        var owner = fixture.Node.OwnerConnectionString.Trim();
        var wrongKey = owner[..owner.IndexOf("SharedAccessKey=", StringComparison.Ordinal)] + "SharedAccessKey=" + Convert.ToBase64String(new byte[32]);
        // Each of the sign-in's probes is refused, and the node warns of each.
        fixture.Node.Logs.Expect("Refused a service token").Expect("Refused a provisioning service token");
        await PortalFixture.SignInAsync(page, wrongKey);
        await Assertions.Expect(page.GetByText("Sign-in refused")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("IotHubUnauthorizedAccess: The token's signature does not match")).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => customElements.get('fluent-text-field') !== undefined"));

        await page.Locator("#connection-string input").FillAsync(owner);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("iothubowner @")).ToBeVisibleAsync();
        // The key is held by the server's circuit, never by the browser.
        // (The only cookie is antiforgery's, which carries no part of the key.)
        var key = owner.Split("SharedAccessKey=")[1];
        Assert.All(await page.Context.CookiesAsync(), c => Assert.DoesNotContain(key, Uri.UnescapeDataString(c.Value), StringComparison.Ordinal));
        Assert.DoesNotContain(key, await page.EvaluateAsync<string>("() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage)"), StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_keyboard_alone_signs_in_reaches_a_page_and_creates_a_device()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("portal/sign-in");
        // A person starts typing once the page has settled: its first renders may still move the focus before that.
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.Locator("#connection-string input").FocusAsync();
        // As fast as keys can come, and Enter at once: no key is lost and the submit sees all of them.
        await page.Keyboard.TypeAsync(fixture.Node.OwnerConnectionString.Trim());
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();

        // Tab from the navigation's first link reaches the next; Enter follows it, as a mouse click would.
        await page.GetByRole(AriaRole.Link, new() { Name = "Overview", Exact = true }).FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Devices", (await page.EvaluateAsync<string>("() => document.activeElement.textContent")).Trim());
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Devices", Level = 1 })).ToBeVisibleAsync();

        var id = $"keys-{Guid.NewGuid():N}"[..16];
        await page.Locator("#new-device-id input").FocusAsync();
        await page.Keyboard.TypeAsync(id);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByText($"Created {id}.")).ToBeVisibleAsync();
        Assert.Equal(id, (await fixture.Node.Client.Devices.GetAsync(id, TestContext.Current.CancellationToken)).DeviceId);
        await page.Context.CloseAsync();
    }
}
