using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DockerDash.EndToEndTests;

/// <summary>The console in Chromium: typing into the Console tab, the phone key bar, and the recording played back from the audit log.</summary>
public class ConsoleTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Typing_in_the_console_tab_shows_the_output_and_the_audit_plays_the_session_back()
    {
        var id = await fixture.Engine.RunSleeperAsync("console");
        var page = await fixture.OpenAsync($"/containers/rig/{id}?tab=console");
        var terminal = await ConnectAsync(page);

        await page.Keyboard.TypeAsync("echo $((6*7))");
        await page.Keyboard.PressAsync("Enter");
        await Expect(terminal.Locator(".xterm-rows")).ToContainTextAsync("42");
        await BrowserFixture.ScreenshotAsync(page, "console-desktop");

        await page.Keyboard.TypeAsync("exit");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("[data-testid=console-status]")).ToContainTextAsync("Ended: process exited with code 0");
        await Expect(page.Locator("[data-testid=console-connect]")).ToContainTextAsync("Reconnect");

        // Each page used once it is live: a click on the page as first sent (before its circuit) is lost or repeated,
        // and on a busy machine the recording page's buttons were swapped under the click for 30 s.
        await BrowserFixture.GoToAsync(page, "/admin/audit");
        await page.Locator("[data-testid=audit-play]").First.ClickAsync();
        await page.WaitForURLAsync("**/admin/audit/recordings/**");
        await Expect(page.Locator("[data-testid=playback-status]")).Not.ToHaveTextAsync("loading", new() { Timeout = 30_000 });
        await page.Locator("[data-testid=playback-all]").ClickAsync();
        var playback = page.Locator("[data-testid=playback-terminal] .xterm-rows");
        await Expect(playback).ToContainTextAsync("echo $((6*7))");
        await Expect(playback).ToContainTextAsync("42");
        await Expect(page.Locator("[data-testid=recording-typed]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"echo \$\(\(6\*7\)\)⏎\s+exit⏎"));
        await BrowserFixture.ScreenshotAsync(page, "console-playback");
        await page.CloseAsync();
        await fixture.Engine.RemoveAsync(id);
    }

    [Fact]
    public async Task On_a_phone_the_console_fits_the_screen_and_its_key_bar_sends_ctrl_c()
    {
        var id = await fixture.Engine.RunSleeperAsync("console-phone");
        var page = await fixture.OpenAsync($"/containers/rig/{id}/console", width: 390, height: 844);
        var terminal = await ConnectAsync(page);
        Assert.True((await terminal.BoundingBoxAsync())!.Width <= 390);

        await page.Keyboard.TypeAsync("sleep 600");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("[data-testid=console-key-ctrl]").ClickAsync();
        await Expect(page.Locator("[data-testid=console-key-ctrl]")).ToHaveAttributeAsync("aria-pressed", "true");
        await page.Keyboard.TypeAsync("c");
        await page.Keyboard.TypeAsync("echo back-$((1+1))");
        await page.Keyboard.PressAsync("Enter");

        // Only a shell that got its prompt back (the sleep interrupted) runs the echo.
        await Expect(terminal.Locator(".xterm-rows")).ToContainTextAsync("back-2");
        await Expect(terminal.Locator(".xterm-rows")).ToContainTextAsync("^C");
        await BrowserFixture.ScreenshotAsync(page, "console-phone");
        await page.CloseAsync();
        await fixture.Engine.RemoveAsync(id);
    }

    private static async Task<ILocator> ConnectAsync(IPage page)
    {
        await page.Locator("[data-testid=console-connect]").ClickAsync();
        var terminal = page.Locator("[data-testid=console-terminal]");
        await Expect(terminal).ToHaveAttributeAsync("data-connected", "true");
        await Expect(terminal.Locator(".xterm-rows")).ToContainTextAsync("#");
        await terminal.ClickAsync();
        return terminal;
    }
}
