using DockerDash.Testing;
using static Microsoft.Playwright.Assertions;

namespace DockerDash.EndToEndTests;

/// <summary>
/// Resource history in Chromium (issue 17): a busy container leads the Resources page, its page draws its CPU over the
/// last hour, the engine page draws the engine's, and the wall's tile carries a sparkline; on a phone the charts fit.
/// </summary>
public class ResourcePagesTests(HistoryBrowserFixture fixture) : IClassFixture<HistoryBrowserFixture>
{
    [Fact]
    public async Task A_busy_container_leads_the_resources_page_and_its_page_the_engine_page_and_the_wall_draw_its_history()
    {
        var id = await fixture.Engine.RunAsync("e2e-busy", ["sh", "-c", "trap 'exit 0' TERM; while :; do :; done"]);
        var name = (await fixture.Engine.InspectAsync(id)).Name.TrimStart('/');
        await Eventually.GetAsync(
            () => fixture.App.As<DockerDash.History.HistoryService>().ContainerAsync(new("rig", id), DockerDash.History.HistoryWindow.Hour, CancellationToken.None, maxPoints: 3600),
            points => points.Count >= 2, TimeSpan.FromSeconds(30), "two samples of the busy container");

        var page = await fixture.OpenAsync("/resources");
        await Expect(page.Locator("[data-testid=rank-row]").First).ToHaveAttributeAsync("data-name", name);
        await BrowserFixture.ScreenshotAsync(page, "resources");

        await page.Locator("[data-testid=rank-row]").First.Locator("a").ClickAsync();
        var cpu = page.Locator("[data-testid=history-cpu]");
        await Expect(cpu).ToContainTextAsync("peak");
        // An hour drawn as 240 points of 15 s: the samples so far are the dot at the right end (the line itself: HistoryChartTests).
        Assert.Matches(@"^M(59\d|600)(\.\d)?,[\d.]+ l0\.01,0", await cpu.Locator("path").GetAttributeAsync("d"));
        await page.Locator("[data-testid=history-24h]").ClickAsync();
        await Expect(page.Locator("[data-testid=history-24h]")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-toggle-item-selected"));
        await Expect(page.Locator("[data-testid=history-1h]")).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-toggle-item-selected"));
        await page.Mouse.MoveAsync(0, 0);
        await Expect(cpu).ToContainTextAsync("peak");
        await BrowserFixture.ScreenshotAsync(page, "container-history");

        await page.GotoAsync("/engines/rig");
        await Expect(page.Locator("[data-testid=history-memory]")).ToContainTextAsync("peak");

        await page.GotoAsync("/wall");
        await Expect(page.Locator("[data-testid=tile-sparkline]").First).ToBeVisibleAsync();
        await page.CloseAsync();

        var phone = await fixture.OpenAsync($"/containers/rig/{id}?tab=stats", width: 390, height: 844);
        await Expect(phone.Locator("[data-testid=history-network]")).ToBeVisibleAsync();
        Assert.True(await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "no horizontal scrolling at 390 px");
        await phone.Locator("[data-testid=history]").ScrollIntoViewIfNeededAsync();
        await BrowserFixture.ScreenshotAsync(phone, "container-history-phone");
        await phone.CloseAsync();
        await fixture.Engine.RemoveAsync(id);
    }
}
