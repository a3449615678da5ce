using DeviceFabric.Tests.Infrastructure;
using Microsoft.Playwright;

namespace DeviceFabric.Tests.Portal;

/// <summary>
/// One node and one headless Chromium (the system's: <c>DEVICEFABRIC_TEST_CHROMIUM</c>, else /usr/bin/chromium) for a
/// class of portal tests; each test opens its own browser context, so sign-ins do not leak between tests.
/// </summary>
public sealed class PortalFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string? _missing;

    internal TestNode Node { get; private set; } = null!;

    /// <summary>Where the pages' screenshots are kept for the run's artifacts.</summary>
    public static string ScreenshotDirectory => Path.Combine(AppContext.BaseDirectory, "portal-screenshots");

    public async ValueTask InitializeAsync()
    {
        Node = await TestNode.StartAsync();
        var chromium = Environment.GetEnvironmentVariable("DEVICEFABRIC_TEST_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            _missing = $"Chromium is not at {chromium} (set DEVICEFABRIC_TEST_CHROMIUM; .ci/run installs the Debian package chromium).";
            return;
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox"] });
    }

    /// <summary>A page of a fresh browser context that accepts the node's certificate (made by its own CA).</summary>
    internal async Task<IPage> NewPageAsync()
    {
        if (_browser is null)
        {
            ExternalService.Missing(_missing!);
        }

        var context = await _browser!.NewContextAsync(new() { IgnoreHTTPSErrors = true, BaseURL = Node.BaseAddress.ToString(), ViewportSize = new() { Width = 1400, Height = 1000 } });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in on a fresh page with the owner's connection string and waits for the overview.</summary>
    internal async Task<IPage> SignedInPageAsync()
    {
        var page = await NewPageAsync();
        await SignInAsync(page, Node.OwnerConnectionString.Trim());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
        return page;
    }

    internal static async Task SignInAsync(IPage page, string connectionString)
    {
        await page.GotoAsync("portal/sign-in");
        await page.Locator("#connection-string input").FillAsync(connectionString);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>Keeps a full-page screenshot of what the page shows now, under <see cref="ScreenshotDirectory"/>.</summary>
    internal static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        TestContext.Current.TestOutputHelper?.WriteLine($"Screenshot: {path}");
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Node.DisposeAsync();
    }
}
