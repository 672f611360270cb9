using System.Diagnostics;
using DockerDash.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DockerDash.EndToEndTests;

public class LogViewTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    /// <summary>About 5,000 numbered lines a second: bursts of 500, ten a second.</summary>
    private static readonly string[] Chatty =
        ["sh", "-c", "n=0; while true; do i=0; while [ $i -lt 500 ]; do echo \"line $n\"; n=$((n+1)); i=$((i+1)); done; sleep 0.1; done"];

    [Fact]
    public async Task A_container_logging_thousands_of_lines_a_second_keeps_the_page_responsive_and_current()
    {
        var id = await fixture.Engine.RunAsync("chatty", Chatty);
        var page = await fixture.OpenAsync($"/containers/rig/{id}/logs");
        var lines = page.Locator("[data-testid=log-lines]");
        await Expect(page.Locator("[data-testid=log-row]").First).ToBeVisibleAsync(new() { Timeout = 15_000 });

        // Three pauses and resumes over twelve seconds of flood (60,000 lines, six times what the view keeps).
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(12))
        {
            await Task.Delay(TimeSpan.FromSeconds(4));
            var pause = page.Locator("[data-testid=log-pause]");
            await pause.ClickAsync();
            await Expect(pause).ToContainTextAsync("Resume", new() { Timeout = 1_000 });
            await Expect(page.Locator("[data-testid=log-new-lines]")).ToBeVisibleAsync(new() { Timeout = 5_000 });
            await pause.ClickAsync();
            await Expect(pause).ToContainTextAsync("Pause", new() { Timeout = 1_000 });
        }

        // The newest line in view is close to the newest the container wrote.
        await Task.Delay(1_000);
        var shown = await LastNumberAsync(page);
        var written = await EngineLastNumberAsync(id);
        Assert.InRange(shown, written - 5_000, written);
        Assert.True(int.Parse(await lines.GetAttributeAsync("data-count") ?? "0", System.Globalization.CultureInfo.InvariantCulture) <= 10_000);
        await BrowserFixture.ScreenshotAsync(page, "logs-under-load");

        // The flood ends with the test, not with the class: later tests get a quiet machine.
        await page.CloseAsync();
        await fixture.Engine.RemoveAsync(id);
    }

    [Fact]
    public async Task Scrolling_back_while_following_stays_where_the_reader_is_until_they_return_to_the_end()
    {
        var id = await fixture.Engine.RunAsync("steady", ["sh", "-c", "n=0; while true; do echo \"line $n\"; n=$((n+1)); sleep 0.05; done"]);
        try
        {
            var page = await fixture.OpenAsync($"/containers/rig/{id}/logs");
            var lines = page.Locator("[data-testid=log-lines]");
            await Expect(lines).ToHaveAttributeAsync("data-count", new System.Text.RegularExpressions.Regex("^[1-9][0-9]+$"), new() { Timeout = 15_000 });

            // Enough lines that the view scrolls.
            await Expect(lines).ToHaveAttributeAsync("data-count", new System.Text.RegularExpressions.Regex("^[1-9][0-9]{2,}$"), new() { Timeout = 15_000 });
            await lines.HoverAsync();
            await page.Mouse.WheelAsync(0, -600);
            await Expect(lines).ToHaveAttributeAsync("data-following", "false");
            var jump = page.Locator("[data-testid=log-new-lines]");
            await Expect(jump).ToContainTextAsync("jump to latest");
            var scrolledTo = await lines.EvaluateAsync<double>("e => e.scrollTop");

            // New lines keep coming and are counted; the view does not snap back to the bottom.
            await Expect(jump).ToContainTextAsync(new System.Text.RegularExpressions.Regex("[1-9][0-9]* new lines?"), new() { Timeout = 5_000 });
            await lines.FocusAsync();
            await page.Keyboard.PressAsync("PageUp");
            Assert.True(await lines.EvaluateAsync<double>("e => e.scrollTop") <= scrolledTo);
            await BrowserFixture.ScreenshotAsync(page, "logs-scrolled-back");

            // Back at the end, it follows again.
            await lines.EvaluateAsync("e => e.scrollTop = e.scrollHeight");
            await Expect(lines).ToHaveAttributeAsync("data-following", "true");
            await Expect(jump).ToHaveCountAsync(0);
            await page.CloseAsync();
        }
        finally
        {
            await fixture.Engine.RemoveAsync(id);
        }
    }

    private static async Task<int> LastNumberAsync(IPage page)
    {
        var text = await page.Locator("[data-testid=log-row]").Last.TextContentAsync() ?? "";
        return int.Parse(text[(text.LastIndexOf("line ", StringComparison.Ordinal) + 5)..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<int> EngineLastNumberAsync(string id)
    {
        var logs = await fixture.Engine.Client.Containers.GetContainerLogsAsync(id, new Docker.DotNet.Models.ContainerLogsParameters { ShowStdout = true, Tail = "1" });
        var (stdout, _) = await logs.ReadOutputToEndAsync(CancellationToken.None);
        return int.Parse(stdout.Trim()["line ".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
