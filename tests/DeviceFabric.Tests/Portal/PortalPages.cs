using Microsoft.Playwright;

namespace DeviceFabric.Tests.Portal;

/// <summary>How the tests move around the portal, as a user does: by the navigation's links and the devices' query box.</summary>
internal static class PortalPages
{
    /// <summary>Follows a navigation link and waits for its page's heading.</summary>
    public static async Task OpenAsync(IPage page, string link, string? heading = null)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = link, Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading ?? link, Exact = true, Level = 1 })).ToBeVisibleAsync();
    }

    /// <summary>Finds the device with a query (the list pages, so a busy registry could push it off the first) and opens it.</summary>
    public static async Task OpenDeviceAsync(IPage page, string id)
    {
        await OpenAsync(page, "Devices");
        await page.Locator("#device-query input").FillAsync($"SELECT * FROM devices WHERE deviceId = '{id}'");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run query" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = id, Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Device {id}" })).ToBeVisibleAsync();
    }
}
