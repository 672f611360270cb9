using DockerDash.Testing;
using static Microsoft.Playwright.Assertions;

namespace DockerDash.EndToEndTests;

/// <summary>A compose project's page in Chromium, on a phone: its services, a whole-project stop and start, and the merged logs' service filter.</summary>
public class ProjectPageTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task On_a_phone_a_project_page_shows_its_services_stops_and_starts_them_and_filters_its_logs_by_service()
    {
        var project = $"dd-page-{TestRig.RunId}";
        var db = await fixture.Engine.RunAsync("page-db", ["sh", "-c", "echo db-ready; trap 'exit 0' TERM; sleep 2147483647 & wait"], labels: RigEngine.ComposeLabels(project, "db", null));
        var web = await fixture.Engine.RunAsync("page-web", ["sh", "-c", "echo web-ready; trap 'exit 0' TERM; sleep 2147483647 & wait"], labels: RigEngine.ComposeLabels(project, "web", "db:service_started:false"));
        var page = await fixture.OpenAsync("/", width: 390, height: 844);

        await page.Locator($"[data-testid=project-tile]:has([data-title='{project}'])").ClickAsync();
        await Expect(page.Locator("[data-testid=project-name]")).ToHaveTextAsync(project);
        await Expect(page.Locator("[data-testid=project-service]")).ToHaveCountAsync(2);
        await Expect(page.Locator("[data-testid=project-running]")).ToHaveTextAsync("2 of 2 running");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "no horizontal scrolling at 390 px");
        await BrowserFixture.ScreenshotAsync(page, "project-phone");

        await page.Locator("[data-testid=project-stop]").ClickAsync();
        await page.Locator("[data-testid=project-confirm]").ClickAsync();
        await Expect(page.Locator("[data-testid=project-outcome]")).ToContainTextAsync("2 of 2 containers done", new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-testid=project-running]")).ToHaveTextAsync("0 of 2 running");
        await page.Locator("[data-testid=project-start]").ClickAsync();
        await page.Locator("[data-testid=project-confirm]").ClickAsync();
        await Expect(page.Locator("[data-testid=project-running]")).ToHaveTextAsync("2 of 2 running", new() { Timeout = 30_000 });

        await page.Locator("[data-testid=project-logs]").ClickAsync();
        var lines = page.Locator("[data-testid=log-lines]");
        await Expect(lines).ToContainTextAsync("web-ready");
        await Expect(lines).ToContainTextAsync("db-ready");
        await page.Locator("[data-testid=project-log-service][data-name=db]").ClickAsync();
        await Expect(page.Locator("[data-testid=project-containers]")).ToContainTextAsync("1 container:");
        Assert.EndsWith("?services=web", page.Url, StringComparison.Ordinal);
        await Expect(lines).ToContainTextAsync("web-ready");
        await Expect(lines).Not.ToContainTextAsync("db-ready");
        await page.CloseAsync();
        await fixture.Engine.RemoveAsync(web);
        await fixture.Engine.RemoveAsync(db);
    }
}
