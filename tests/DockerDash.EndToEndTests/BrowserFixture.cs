using DockerDash.Engines;
using DockerDash.Testing;
using Microsoft.Playwright;

namespace DockerDash.EndToEndTests;

/// <summary>The real app on the rig engine, and Debian's headless Chromium driven by Playwright (never a downloaded browser).</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public DashboardApp App { get; private set; } = default!;

    public RigEngine Engine { get; private set; } = default!;

    public IBrowser Browser { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Engine = new RigEngine();
        App = await DashboardApp.StartAsync();
        await App.WaitForEngineAsync("rig", EngineStatus.Up);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = TestRig.Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    /// <summary>A new page at <paramref name="path"/>, once Blazor's circuit is connected and the page is interactive.</summary>
    public async Task<IPage> OpenAsync(string path, int width = 1400, int height = 900)
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, BaseURL = App.Address.ToString() });
        await page.GotoAsync(path);
        await page.Locator("[data-interactive=true]").WaitForAsync();
        return page;
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(TestRig.Artifacts);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(TestRig.Artifacts, name + ".png") });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
        await Engine.DisposeAsync();
        await App.DisposeAsync();
    }
}
