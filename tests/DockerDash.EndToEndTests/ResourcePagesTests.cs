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
        await BrowserFixture.ScreenshotAsync(page, "engine-history");

        await page.GotoAsync("/wall");
        await Expect(page.Locator("[data-testid=tile-sparkline]").First).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "wall-sparkline");
        await page.CloseAsync();

        var phone = await fixture.OpenAsync($"/containers/rig/{id}?tab=stats", width: 390, height: 844);
        await Expect(phone.Locator("[data-testid=history-network]")).ToBeVisibleAsync();
        Assert.True(await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "no horizontal scrolling at 390 px");
        await phone.Locator("[data-testid=history]").ScrollIntoViewIfNeededAsync();
        await BrowserFixture.ScreenshotAsync(phone, "container-history-phone");
        await phone.CloseAsync();
        await fixture.Engine.RemoveAsync(id);
    }

    [Fact]
    public async Task A_cpu_rule_is_made_in_the_alerts_form_and_an_e_mail_target_without_a_mail_server_is_refused_with_the_setting_to_set()
    {
        var page = await fixture.OpenAsync("/alerts");
        await page.Locator("input[data-testid=rule-name]").FillAsync("busy web");
        await page.Locator("[data-testid=rule-kind]").ClickAsync();
        await page.GetByText("a container's CPU stays high").ClickAsync();
        await page.Locator("input[data-testid=rule-threshold]").FillAsync("150");
        await page.Locator("input[data-testid=rule-for-minutes]").FillAsync("2.5");
        await Expect(page.Locator("[data-testid=rule-cooldown]")).ToHaveCountAsync(0);
        await page.Locator("[data-testid=rule-save]").ClickAsync();
        await Expect(page.Locator("[data-testid=rule]").Filter(new() { HasText = "busy web" }))
            .ToContainTextAsync("when a container uses more than 150 % CPU for 2 min 30 s; again when it drops (any container)");

        await page.Locator("[data-testid=webhook-format]").ClickAsync();
        await page.GetByText("E-mail", new() { Exact = true }).ClickAsync();
        await page.Locator("input[data-testid=webhook-name]").FillAsync("on call");
        await page.Locator("input[data-testid=webhook-url]").FillAsync("oncall@example.com");
        await page.Locator("[data-testid=webhook-add]").ClickAsync();
        await Expect(page.GetByText("E-mail needs a mail server: set DockerDash:Smtp:Host")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "alerts");
        await page.CloseAsync();

        var alerts = fixture.App.As<DockerDash.Alerts.AlertService>();
        await alerts.DeleteRuleAsync((await alerts.RulesAsync()).Single(r => r.Name == "busy web").Id);
    }
}
