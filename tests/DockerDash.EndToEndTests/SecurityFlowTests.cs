using DockerDash.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DockerDash.EndToEndTests;

public class SecurityFlowTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_admin_creates_an_operator_who_stops_a_container_and_the_audit_page_shows_both()
    {
        var id = await fixture.Engine.RunSleeperAsync("e2e-operator");
        var operatorName = $"operator-{TestRig.RunId}";

        await fixture.CreateUserAsync(operatorName, "operator-password-1", "*=Operator");

        await using var operatorSession = await fixture.SignInAsync(operatorName, "operator-password-1");
        var page = await fixture.OpenAsync($"/containers/rig/{id}", session: operatorSession);
        await Expect(page.Locator("[data-testid=action-remove]")).ToHaveCountAsync(0);
        await page.Locator("[data-testid=action-stop]").ClickAsync();
        await page.Locator("[data-testid=confirm-stop]").ClickAsync();
        await Expect(page.Locator("[data-testid=state-chip]")).ToHaveAttributeAsync("data-state", "exited", new() { Timeout = 15_000 });
        await page.GotoAsync("/admin/users");
        await Expect(page.GetByText("Your account may not see this page.")).ToBeVisibleAsync();

        var audit = await fixture.OpenAsync("/admin/audit");
        await Expect(audit.Locator("[data-testid=audit-table] tr", new() { HasText = "user.manage" }).Filter(new() { HasText = "admin" }).First).ToBeVisibleAsync();
        await Expect(audit.Locator("[data-testid=audit-table] tr", new() { HasText = "container.stop" }).Filter(new() { HasText = operatorName }).First).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(audit, "audit-page");
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        await using var session = await fixture.SignInAsync("admin", DashboardApp.AdminPassword);
        var page = await fixture.OpenAsync("/containers", session: session);

        await page.Locator("[data-testid=account-menu] button").ClickAsync();
        await page.Locator("[data-testid=logout]").ClickAsync();

        await page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal));
        await page.GotoAsync("/containers");
        Assert.Contains("/account/login", page.Url, StringComparison.Ordinal);
    }
}
