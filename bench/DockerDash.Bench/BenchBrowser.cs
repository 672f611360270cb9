using System.Net;
using DockerDash.Testing;
using Microsoft.Playwright;

namespace DockerDash.Bench;

/// <summary>Debian's headless Chromium driven by Playwright (as the end-to-end tests do), signed in with a benchmarked server's cookie.</summary>
public sealed class BenchBrowser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;

    private BenchBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<BenchBrowser> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = TestRig.Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                // Pages left open in the background keep running as they would on a wall: no timer throttling.
                "--disable-background-timer-throttling", "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows"],
        });
        return new BenchBrowser(playwright, browser);
    }

    /// <summary>A browser session carrying the server's sign-in cookie.</summary>
    public async Task<IBrowserContext> SessionAsync(ServerProcess server, int width = 1400, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, BaseURL = server.Address.ToString() });
        await context.AddCookiesAsync(server.Cookies.GetAllCookies().Cast<System.Net.Cookie>().Select(c => new Microsoft.Playwright.Cookie
        {
            Name = c.Name,
            Value = c.Value,
            Domain = server.Address.Host,
            Path = "/",
            HttpOnly = c.HttpOnly,
        }));
        return context;
    }

    /// <summary>Opens <paramref name="path"/> and waits until Blazor's circuit is connected and <paramref name="ready"/> shows.</summary>
    public static async Task<IPage> OpenAsync(IBrowserContext session, string path, string ready)
    {
        var page = await session.NewPageAsync();
        await page.GotoAsync(path);
        await page.Locator("[data-interactive=true]").WaitForAsync(new() { Timeout = 60_000 });
        await page.Locator(ready).First.WaitForAsync(new() { Timeout = 60_000 });
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
