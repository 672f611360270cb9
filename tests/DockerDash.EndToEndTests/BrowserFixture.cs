using DockerDash.Engines;
using DockerDash.Testing;
using Microsoft.Playwright;

namespace DockerDash.EndToEndTests;

/// <summary>
/// The real app on the rig engine, and Debian's headless Chromium driven by Playwright (never a downloaded browser): one
/// Chromium for the whole run (<see cref="SharedChromium"/>), its own browser sessions for each test class, closed with it.
/// </summary>
public class BrowserFixture : IAsyncLifetime
{
    /// <summary>Settings the app starts with besides the test defaults.</summary>
    protected virtual string[] Settings => [];

    /// <summary>The sessions open before this fixture started: every other one is this class's, closed with it.</summary>
    private HashSet<IBrowserContext> _sessionsBefore = [];

    public DashboardApp App { get; protected set; } = default!;

    public RigEngine Engine { get; private set; } = default!;

    public IBrowser Browser { get; private set; } = default!;

    /// <summary>A browser session signed in as the bootstrap admin.</summary>
    public IBrowserContext Admin { get; private set; } = default!;

    /// <summary>Where the browser goes: the app itself, or a proxy in front of it.</summary>
    protected virtual Uri Entry => App.Address;

    /// <summary>Starts what the browser will reach (the app, by default); <see cref="App"/> is set here.</summary>
    protected virtual async Task StartAppAsync()
    {
        App = await DashboardApp.StartAsync(Settings);
        await App.WaitForEngineAsync("rig", EngineStatus.Up);
    }

    /// <summary>Stops what <see cref="StartAppAsync"/> started.</summary>
    protected virtual async Task StopAppAsync() => await App.DisposeAsync();

    public async Task InitializeAsync()
    {
        Engine = new RigEngine();
        await StartAppAsync();
        try
        {
            Browser = await SharedChromium.GetAsync();
            _sessionsBefore = [.. Browser.Contexts];
            Admin = await SessionAsync("admin", DashboardApp.AdminPassword);
        }
        catch
        {
            // A fixture that fails to start is not disposed by xunit: what it started goes now.
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A new browser session signed in with the login form posted over HTTP, for tests that need a session but do not test
    /// the sign-in (a browser's sign-in costs three seconds).
    /// </summary>
    public async Task<IBrowserContext> SessionAsync(string user, string password)
    {
        var cookies = await FormSignIn.SignInAsync(Entry, user, password);
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 }, BaseURL = Entry.ToString() });
        await context.AddCookiesAsync(cookies.GetCookies(Entry).Select(c => new Cookie { Name = c.Name, Value = c.Value, Url = Entry.ToString() }));
        return context;
    }

    /// <summary>A new browser session signed in through the login page.</summary>
    public async Task<IBrowserContext> SignInAsync(string user, string password, int width = 1400, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, BaseURL = Entry.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.Locator("#username").FillAsync(user);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("[data-testid=login-submit]").ClickAsync();
        await page.Locator("[data-interactive=true]").WaitForAsync();
        await page.CloseAsync();
        return context;
    }

    /// <summary>Adds a user through the admin's users page, as an admin would.</summary>
    public async Task CreateUserAsync(string name, string password, string grants)
    {
        var admin = await OpenAsync("/admin/users");
        await admin.Locator("input[data-testid=new-user-name]").FillAsync(name);
        await admin.Locator("input[data-testid=new-user-password]").FillAsync(password);
        await admin.Locator("textarea[data-testid=new-user-grants]").FillAsync(grants);
        await admin.Locator("[data-testid=add-user]").ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(admin.Locator($"[data-testid=user-row][data-name='{name}']")).ToBeVisibleAsync();
        await admin.CloseAsync();
    }

    /// <summary>A new page at <paramref name="path"/>, once Blazor's circuit is connected and the page is interactive.</summary>
    public async Task<IPage> OpenAsync(string path, int width = 1400, int height = 900, IBrowserContext? session = null)
    {
        var page = await (session ?? Admin).NewPageAsync();
        await page.SetViewportSizeAsync(width, height);
        await GoToAsync(page, path);
        return page;
    }

    /// <summary>Opens <paramref name="path"/> in <paramref name="page"/> and waits until the page is interactive (its circuit connected).</summary>
    public static async Task GoToAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await page.Locator("[data-interactive=true]").WaitForAsync();
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(TestRig.Artifacts);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(TestRig.Artifacts, name + ".png") });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            foreach (var session in Browser.Contexts.Where(c => !_sessionsBefore.Contains(c)).ToList())
            {
                await session.CloseAsync();
            }
        }

        await Engine.DisposeAsync();
        await StopAppAsync();
    }
}

/// <summary>One headless Chromium for every test class of the run, launched by the first; it goes when the test process ends.</summary>
internal static class SharedChromium
{
    private static readonly Lazy<Task<IBrowser>> Launched = new(LaunchAsync);

    public static Task<IBrowser> GetAsync() => Launched.Value;

    private static async Task<IBrowser> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = TestRig.Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            browser.CloseAsync().Wait(TimeSpan.FromSeconds(10));
            playwright.Dispose();
        };
        return browser;
    }
}

/// <summary>The same, with resource history on (sampled every second, as the test app samples).</summary>
public sealed class HistoryBrowserFixture : BrowserFixture
{
    protected override string[] Settings => ["--DockerDash:History:Enabled=true"];
}
