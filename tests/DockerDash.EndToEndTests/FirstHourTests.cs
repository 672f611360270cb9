using DockerDash.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DockerDash.EndToEndTests;

/// <summary>
/// What a new user does in the first hour, in Chromium at desktop and phone sizes: overview, containers,
/// a container's tabs, its logs scrolled back, events, the wall. Screenshots of each step go to tests/artifacts.
/// </summary>
public sealed class FirstHourTests(BrowserFixture fixture, FirstHourContainers made) : IClassFixture<BrowserFixture>, IClassFixture<FirstHourContainers>
{
    private const string Project = FirstHourContainers.Project;
    private readonly string _web = made.Web;
    private readonly string _webName = made.WebName;
    private readonly string _json = made.Json;

    [Theory]
    [InlineData("desktop", 1440, 900)]
    [InlineData("phone", 390, 844)]
    public async Task A_new_user_walks_from_the_overview_to_the_wall(string size, int width, int height)
    {
        // Overview: paused and created containers are counted.
        var page = await fixture.OpenAsync("/", width, height);
        await Expect(page.Locator("[data-testid=count-paused]").First).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=count-created]").First).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, $"first-hour-{size}-1-overview");

        // Containers: "/" finds the search; the rows are compact on a phone, the buttons big enough for a thumb.
        await BrowserFixture.GoToAsync(page, $"/containers");
        await page.Keyboard.PressAsync("/");
        await page.Keyboard.TypeAsync("fh-");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("q=fh-"));
        var row = page.Locator($"tr:has([data-name='{_webName}'])");
        await Expect(row.Locator("[data-testid=row-logs]")).ToBeVisibleAsync();
        await Expect(page.Locator("tr:has([data-testid=row-unpause])")).ToHaveCountAsync(1);
        await BrowserFixture.ScreenshotAsync(page, $"first-hour-{size}-2-containers");
        Assert.Equal(width, await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth"));
        if (size == "phone")
        {
            var box = (await row.BoundingBoxAsync())!;
            Assert.True(box.Height <= 100, $"a container row is {box.Height}px high on a phone");
            var button = (await row.Locator("[data-testid=row-stop]").BoundingBoxAsync())!;
            Assert.True(button.Height >= 44 && button.Width >= 44, $"the stop button is {button.Width}x{button.Height}px");
        }

        // A container's tabs are in the address; Inspect is the engine's own document.
        await row.Locator("[data-testid=row-logs]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/containers/rig/{_web}\\?tab=logs$"));
        await Expect(page.Locator("[data-testid=log-row]").First).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await page.Locator(".mud-tab", new() { HasText = "Inspect" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("tab=inspect$"));
        await Expect(page.Locator("[data-testid=inspect-json]")).ToContainTextAsync("\"RestartPolicy\": {");
        await page.Locator(".mud-tab", new() { HasText = "Processes" }).ClickAsync();
        await Expect(page.Locator("[data-testid=processes]")).ToContainTextAsync("sh");
        await Expect(page.Locator("body")).Not.ToContainTextAsync("_processError");
        await BrowserFixture.ScreenshotAsync(page, $"first-hour-{size}-3-processes");

        // Logs, full screen without the sidebar, scrolled back: the view stays where the reader is.
        await BrowserFixture.GoToAsync(page, $"/containers/rig/{_web}/logs");
        await Expect(page.Locator("[data-testid=nav-drawer]")).Not.ToBeInViewportAsync();
        var lines = page.Locator("[data-testid=log-lines]");
        await Expect(lines).ToHaveAttributeAsync("data-count", new System.Text.RegularExpressions.Regex("^[1-9][0-9]{2,}$"), new() { Timeout = 20_000 });
        // The view opens at the newest line; scrolled there by its script, which from then on listens for the reader
        // (the container has logged for a while, so its hundred lines can be on screen before the script is).
        await page.WaitForFunctionAsync("e => e.scrollTop > 0 && e.scrollHeight - e.scrollTop - e.clientHeight < 24", await lines.ElementHandleAsync());
        await lines.HoverAsync();
        await page.Mouse.WheelAsync(0, -5000);
        await Expect(lines).ToHaveAttributeAsync("data-following", "false");
        await Expect(page.Locator("[data-testid=log-new-lines]")).ToContainTextAsync("jump to latest");
        await Expect(page.Locator("[data-testid=log-new-lines]")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("[1-9][0-9]* new line"));
        Assert.True(await lines.EvaluateAsync<bool>("e => e.scrollHeight - e.scrollTop - e.clientHeight > 100"), "the view stays scrolled back");
        await BrowserFixture.ScreenshotAsync(page, $"first-hour-{size}-4-logs-scrolled-back");

        // Events open with what already happened; health-check execs stay out of the way.
        await BrowserFixture.GoToAsync(page, "/events");
        await Expect(page.Locator("[data-testid=event-row]", new() { HasText = "pause" }).First).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=event-detail]", new() { HasText = "exit code 1" }).First).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, $"first-hour-{size}-5-events");

        // The wall: stacked on a phone, names readable.
        await page.GotoAsync("/wall");
        await Expect(page.Locator($"[data-testid=status-tile][data-title='{Project}']")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await BrowserFixture.ScreenshotAsync(page, $"first-hour-{size}-6-wall");
        // Found and measured in one step in the page: the wall re-renders every two seconds, and a tile found in one step
        // and measured in the next (a bounding box, or a locator's evaluate) was at times already replaced: 0px wide.
        var tileWidth = await page.EvaluateAsync<double>("s => document.querySelector(s).getBoundingClientRect().width", $"[data-testid=status-tile][data-title='{Project}']");
        Assert.True(tileWidth >= width * 0.4 || size == "desktop", $"the project tile is {tileWidth}px wide on a {width}px screen");
        await page.CloseAsync();
    }

    [Fact]
    public async Task Keyboard_users_see_where_they_are_and_the_closed_jobs_panel_is_skipped()
    {
        var page = await fixture.OpenAsync("/containers");

        Assert.True(await page.Locator("[data-testid=jobs-panel]").EvaluateAsync<bool>("e => e.closest('[inert]') !== null"));
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        var outline = await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle");
        Assert.NotEqual("none", outline);
        await page.CloseAsync();
    }

    [Fact]
    public async Task Dark_mode_follows_the_system_until_chosen_and_the_choice_survives_a_reload()
    {
        await using var session = await fixture.SignInAsync("admin", DashboardApp.AdminPassword);
        var page = await session.NewPageAsync();
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await BrowserFixture.GoToAsync(page, "/containers");
        await Eventually.GetAsync(() => IsDarkAsync(page), dark => dark, TimeSpan.FromSeconds(10), "the system's dark setting followed");

        await page.Locator("[data-testid=theme-toggle]").ClickAsync();
        await Eventually.GetAsync(() => IsDarkAsync(page), dark => !dark, TimeSpan.FromSeconds(10), "light as chosen");
        await Eventually.GetAsync(session.CookiesAsync, cookies => cookies.Any(c => c.Name == "dockerdash-theme" && c.Value == "light"), TimeSpan.FromSeconds(10), "the choice remembered");

        // After a reload the choice wins over the system's dark setting, from the first paint on.
        await page.ReloadAsync();
        Assert.False(await IsDarkAsync(page));
        await page.Locator("[data-interactive=true]").WaitForAsync();
        Assert.False(await IsDarkAsync(page));
    }

    /// <summary>Whether MudBlazor's page background is dark (its palette variable, resolved by the browser).</summary>
    private static Task<bool> IsDarkAsync(IPage page) => page.EvaluateAsync<bool>("""
        () => {
            const probe = document.createElement('div');
            probe.style.background = 'var(--mud-palette-background)';
            document.body.appendChild(probe);
            const [r, g, b] = getComputedStyle(probe).backgroundColor.match(/[0-9.]+/g).map(Number);
            probe.remove();
            return (r + g + b) / 3 < 128;
        }
        """);

    [Fact]
    public async Task The_profile_page_shows_a_usable_code_box_and_a_qr_code_on_a_phone()
    {
        var user = $"fh-{TestRig.RunId}";
        await fixture.CreateUserAsync(user, "first-hour-password-1", "*=Viewer");

        await using var session = await fixture.SignInAsync(user, "first-hour-password-1", 390, 844);
        var page = await session.NewPageAsync();
        await page.GotoAsync("/account/profile");

        var code = (await page.Locator("[data-testid=totp-code]").BoundingBoxAsync())!;
        Assert.True(code.Height >= 36, $"the code box is {code.Height}px high");
        Assert.NotEqual("0px", await page.Locator("[data-testid=totp-code]").EvaluateAsync<string>("e => getComputedStyle(e).borderTopWidth"));
        Assert.True(await page.Locator("[data-testid=totp-qr]").EvaluateAsync<bool>("e => e.complete && e.naturalWidth > 100"));
        var card = (await page.Locator(".account-card").BoundingBoxAsync())!;
        var link = (await page.Locator("[data-testid=totp-link]").BoundingBoxAsync())!;
        Assert.True(link.X + link.Width <= card.X + card.Width + 1, "the authenticator link stays inside its card");
        await BrowserFixture.ScreenshotAsync(page, "first-hour-phone-profile");
    }

    [Fact]
    public async Task An_unknown_address_shows_the_apps_own_page()
    {
        var page = await fixture.Admin.NewPageAsync();
        var response = await page.GotoAsync("/no/such/page");

        Assert.Equal(404, response!.Status);
        await Expect(page.Locator("[data-testid=not-found]")).ToContainTextAsync("There is nothing at this address");
        await page.CloseAsync();
    }

    [Fact]
    public async Task The_smaller_things_a_new_user_notices_are_right()
    {
        // The sign-in boxes are the same width and both styled.
        var anonymous = await fixture.Browser.NewContextAsync(new() { BaseURL = fixture.App.Address.ToString(), ViewportSize = new() { Width = 390, Height = 844 } });
        var login = await anonymous.NewPageAsync();
        await login.GotoAsync("/account/login");
        var user = (await login.Locator("#username").BoundingBoxAsync())!;
        var password = (await login.Locator("#password").BoundingBoxAsync())!;
        Assert.Equal(password.Width, user.Width);
        Assert.True(user.Height >= 44, $"the user name box is {user.Height}px high");
        Assert.NotEqual("0px", await login.Locator("#username").EvaluateAsync<string>("e => getComputedStyle(e).borderTopWidth"));
        await anonymous.DisposeAsync();

        // On a phone the log filters fold away until asked for; pretty JSON keeps the time on its first line.
        var page = await fixture.OpenAsync($"/containers/rig/{_web}?tab=logs", 390, 844);
        await Expect(page.Locator("[data-testid=log-filters]")).Not.ToBeVisibleAsync();
        await page.Locator("[data-testid=log-filters-toggle]").ClickAsync();
        await Expect(page.Locator("input[data-testid=log-search]")).ToBeVisibleAsync();

        // Pretty JSON: the text as written, the time beside its first line (not its closing brace).
        var json = await fixture.OpenAsync($"/containers/rig/{_json}/logs");
        await json.GetByText("Pretty JSON").ClickAsync();
        var pretty = json.Locator("[data-testid=log-row] pre.log-json").First;
        await Expect(pretty).ToContainTextAsync("\"at\": \"2026-11-27T14:00:00+00:00\"");
        var time = (await json.Locator("[data-testid=log-row] .log-time").First.BoundingBoxAsync())!;
        var block = (await pretty.BoundingBoxAsync())!;
        Assert.True(Math.Abs(time.Y - block.Y) < 4, $"the time is at {time.Y}, the JSON starts at {block.Y}");
        await json.CloseAsync();

        // The upload button says the path as it is written.
        await page.Locator(".mud-tab", new() { HasText = "Files" }).ClickAsync();
        await Expect(page.Locator("[data-testid=files-upload]")).ToBeVisibleAsync();
        Assert.Equal("none", await page.Locator("[data-testid=files-upload]").EvaluateAsync<string>("e => getComputedStyle(e).textTransform"));
        await page.CloseAsync();
    }

    [Fact]
    public async Task An_alert_is_a_small_toast_in_the_corner_that_goes_by_itself()
    {
        var prefix = TestRig.UniqueName("fh-toast");
        var alerts = fixture.App.As<DockerDash.Alerts.AlertService>();
        var rule = new DockerDash.Alerts.AlertRule { Name = "toast " + prefix, Kind = DockerDash.Alerts.AlertKind.Died, NamePattern = "*" + prefix + "*" };
        await alerts.SaveRuleAsync(rule);
        await fixture.App.Get<DockerDash.Alerts.AlertMonitor>().Listening;
        var page = await fixture.OpenAsync("/containers", 390, 844);

        await fixture.Engine.RunAsync(prefix, ["sh", "-c", "exit 2"]);

        var toast = page.Locator(".mud-snackbar", new() { HasText = prefix });
        await Expect(toast).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await BrowserFixture.ScreenshotAsync(page, "first-hour-phone-alert-toast");
        var box = (await toast.BoundingBoxAsync())!;
        var bar = (await page.Locator(".mud-appbar").BoundingBoxAsync())!;
        Assert.True(box.Y > bar.Y + bar.Height, "the toast leaves the app bar free");
        Assert.True(box.Y > 844 / 2, $"the toast sits low on the screen (top at {box.Y}px)");
        Assert.True(box.Height <= 100, $"the toast is {box.Height}px high");
        await Expect(toast).ToHaveCountAsync(0, new() { Timeout = 15_000 });
        await page.CloseAsync();
        await alerts.DeleteRuleAsync((await alerts.RulesAsync()).Single(r => r.Name == rule.Name).Id);
    }
}

/// <summary>
/// The first-hour project as a new user finds it, made once for the class's tests (none of them changes it): a web
/// server logging requests, a paused, an exited and a created container, and one that logs JSON.
/// </summary>
public sealed class FirstHourContainers : IAsyncLifetime
{
    public const string Project = "first-hour";

    private readonly RigEngine _engine = new();

    public string Web { get; private set; } = "";

    public string WebName { get; private set; } = "";

    public string Json { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var labels = new Dictionary<string, string> { ["com.docker.compose.project"] = Project };
        Web = await _engine.RunAsync("fh-web", ["sh", "-c", "trap 'exit 0' TERM; n=0; while true; do echo \"request $n served\"; n=$((n+1)); sleep 0.1; done"], labels: labels);
        WebName = (await _engine.InspectAsync(Web)).Name.TrimStart('/');
        var held = await _engine.RunSleeperAsync("fh-held", labels: labels);
        await _engine.Client.Containers.PauseContainerAsync(held);
        await _engine.RunAsync("fh-failed", ["sh", "-c", "exit 1"], labels: labels);
        await _engine.RunSleeperAsync("fh-created", start: false, labels: labels);
        Json = await _engine.RunAsync("fh-json", ["sh", "-c", "echo '{\"at\":\"2026-11-27T14:00:00+00:00\",\"level\":\"info\",\"msg\":\"ready\"}'; trap 'exit 0' TERM; sleep 2147483647 & wait"]);
    }

    /// <summary>The engine client removes every container it made.</summary>
    public Task DisposeAsync() => _engine.DisposeAsync().AsTask();
}
