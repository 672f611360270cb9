using Docker.DotNet.Models;
using DockerDash.Security;
using DockerDash.Data;
using DockerDash.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DockerDash.EndToEndTests;

/// <summary>The wall display through a kiosk token (live, stale while the app is down, recovering by itself) and the phone layout.</summary>
public class WallAndPhoneTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const int PhoneWidth = 390;
    private const int PhoneHeight = 844;

    private async Task<IPage> OpenWallAsync()
    {
        var token = await fixture.App.CreateTokenAsync(DashboardRole.Viewer, TokenKind.Kiosk);
        var kiosk = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1920, Height = 1080 }, BaseURL = fixture.App.Address.ToString() });
        var page = await kiosk.NewPageAsync();
        await page.GotoAsync($"/kiosk?token={token}");
        await page.WaitForURLAsync(url => url.EndsWith("/wall", StringComparison.Ordinal));
        await page.Locator("[data-interactive=true]").WaitForAsync();
        return page;
    }

    private static ILocator ProjectTile(IPage page, string project) => page.Locator($"[data-testid=status-tile][data-title='{project}']");

    [Fact]
    public async Task The_wall_shows_a_container_exiting_within_two_seconds_of_the_engine_event()
    {
        var project = $"wall-{TestRig.RunId}";
        var id = await fixture.Engine.RunSleeperAsync("wall", labels: new Dictionary<string, string> { ["com.docker.compose.project"] = project });
        var page = await OpenWallAsync();
        await Expect(ProjectTile(page, project).Locator("[data-testid=count-running]")).ToHaveTextAsync("1");

        await fixture.Engine.Client.Containers.KillContainerAsync(id, new ContainerKillParameters { Signal = "SIGKILL" });

        await Expect(ProjectTile(page, project).Locator("[data-testid=count-exited]")).ToHaveTextAsync("1", new() { Timeout = 2_000 });
        await Expect(ProjectTile(page, project)).ToHaveAttributeAsync("data-state", "Warning");
        await Expect(page.Locator("[data-testid=wall-attention] [data-testid=attention-row]").First).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "wall-1920x1080");
    }

    [Fact]
    public async Task When_the_app_stops_the_wall_says_stale_since_and_recovers_by_itself_when_it_is_back()
    {
        var project = $"outage-{TestRig.RunId}";
        await fixture.Engine.RunSleeperAsync("outage", labels: new Dictionary<string, string> { ["com.docker.compose.project"] = project });
        var page = await OpenWallAsync();
        await Expect(ProjectTile(page, project)).ToBeVisibleAsync();

        await fixture.App.StopAsync();
        try
        {
            await Expect(page.Locator("[data-testid=stale]")).ToContainTextAsync("stale since", new() { Timeout = 30_000 });
            await BrowserFixture.ScreenshotAsync(page, "wall-stale");
        }
        finally
        {
            await fixture.App.StartAgainAsync();
        }

        await Expect(page.Locator("[data-testid=stale]")).ToBeHiddenAsync(new() { Timeout = 30_000 });
        await page.Locator("[data-interactive=true]").WaitForAsync(new() { Timeout = 30_000 });
        await Expect(ProjectTile(page, project).Locator("[data-testid=count-running]")).ToHaveTextAsync("1", new() { Timeout = 30_000 });
        Assert.EndsWith("/wall", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_a_phone_the_overview_containers_and_container_pages_fit_the_screen()
    {
        var id = await fixture.Engine.RunAsync("phone-failed", ["sh", "-c", "exit 4"]);
        await fixture.Engine.RunSleeperAsync("phone-running-with-a-rather-long-container-name");
        var page = await fixture.OpenAsync("/", PhoneWidth, PhoneHeight);
        await Expect(page.Locator($"[data-testid=attention-row][data-name*='phone-failed']")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await BrowserFixture.ScreenshotAsync(page, "home-390x844");
        await AssertNoHorizontalOverflowAsync(page);

        await page.Locator($"[data-testid=attention-row][data-name*='phone-failed']").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains(id, StringComparison.Ordinal));
        await Expect(page.Locator("[data-testid=action-start]")).ToBeVisibleAsync();
        await AssertNoHorizontalOverflowAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "container-390x844");

        var list = await fixture.OpenAsync("/containers", PhoneWidth, PhoneHeight);
        await Expect(list.Locator("[data-testid=container-row]").First).ToBeVisibleAsync();
        await AssertNoHorizontalOverflowAsync(list);

        var events = await fixture.OpenAsync("/events", PhoneWidth, PhoneHeight);
        await AssertNoHorizontalOverflowAsync(events);
        var alerts = await fixture.OpenAsync("/alerts", PhoneWidth, PhoneHeight);
        await AssertNoHorizontalOverflowAsync(alerts);
        var images = await fixture.OpenAsync("/images", PhoneWidth, PhoneHeight);
        await Expect(images.Locator("[data-testid=image-row]").First).ToBeVisibleAsync();
        await AssertNoHorizontalOverflowAsync(images);
        await BrowserFixture.ScreenshotAsync(images, "images-390x844");
        var registries = await fixture.OpenAsync("/registries", PhoneWidth, PhoneHeight);
        await AssertNoHorizontalOverflowAsync(registries);
    }

    private static async Task AssertNoHorizontalOverflowAsync(IPage page)
    {
        var sizes = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        Assert.True(sizes[0] == sizes[1], $"{page.Url}: the page is {sizes[0]} px wide on a {sizes[1]} px screen");
    }
}
