using DockerDash.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DockerDash.EndToEndTests;

/// <summary>
/// The lean publish (<c>-p:LeanPublish=true</c>, what the Dockerfile ships: self-contained, every assembly rewritten as IL
/// only, nothing removed), run as its own process by its own executable: the rest of the suite runs the same code in the
/// test process, and this checks that the rewritten build is that code: a new database, the sign-in, a live page,
/// a container's log and an action, with nothing failing in the server's log.
/// </summary>
public sealed class LeanPublishTests(LeanPublishFixture fixture) : IClassFixture<LeanPublishFixture>
{
    [Fact]
    public async Task The_lean_publish_makes_its_database_signs_in_and_shows_a_live_container_its_log_and_its_stop()
    {
        // Signed in through the login page (Identity on the database the first start made), the list open before the
        // container exists: it appears by the engine's events.
        var session = await fixture.SignInAsync("admin", ServerProcess.AdminPassword);
        var page = await session.NewPageAsync();
        await BrowserFixture.GoToAsync(page, "/containers");
        var container = await fixture.Engine.RunAsync("lean", ["sh", "-c", "for i in $(seq 1 40); do echo lean-line-$i; done; trap 'exit 0' TERM; sleep 2147483647 & wait"]);
        var name = (await fixture.Engine.InspectAsync(container)).Name.TrimStart('/');
        var row = page.Locator($"tr:has([data-name='{name}'])");
        await Expect(row.Locator("[data-testid=state-chip]")).ToHaveAttributeAsync("data-state", "running", new() { Timeout = 15_000 });

        await BrowserFixture.GoToAsync(page, $"/containers/rig/{container}/logs");
        await Expect(page.Locator("[data-testid=log-lines]")).ToContainTextAsync("lean-line-40", new() { Timeout = 15_000 });

        await BrowserFixture.GoToAsync(page, "/containers");
        await row.Locator("[data-testid=row-stop]").ClickAsync();
        await Expect(row.Locator("[data-testid=state-chip]")).ToHaveAttributeAsync("data-state", "exited", new() { Timeout = 15_000 });
        Assert.False((await fixture.Engine.InspectAsync(container)).State!.Running);
        await BrowserFixture.ScreenshotAsync(page, "lean-publish-containers");

        Assert.DoesNotContain(fixture.Server.Output, line => line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal));
        await fixture.Engine.RemoveAsync(container);
    }
}

/// <summary>The browser fixture with the lean publish as the app, started the way the benchmarks start a server.</summary>
public sealed class LeanPublishFixture : BrowserFixture
{
    public ServerProcess Server { get; private set; } = default!;

    protected override Uri Entry => Server.Address;

    protected override async Task StartAppAsync() => Server = await ServerProcess.StartAsync(TestRig.LeanPublish);

    protected override async Task StopAppAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}
