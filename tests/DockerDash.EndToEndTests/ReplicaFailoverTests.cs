using DockerDash.Engines;
using DockerDash.Events;
using DockerDash.Testing;
using static Microsoft.Playwright.Assertions;

namespace DockerDash.EndToEndTests;

/// <summary>
/// Two replicas on one PostgreSQL database and Redis, behind nginx with the shipped configuration; the browser
/// reaches them only through nginx. <see cref="BrowserFixture.App"/> is replica A.
/// </summary>
public sealed class ReplicaBrowserFixture : BrowserFixture
{
    private string _database = "";

    public DashboardApp B { get; private set; } = default!;

    public NginxProxy Proxy { get; private set; } = default!;

    protected override Uri Entry => Proxy.Address;

    protected override async Task StartAppAsync()
    {
        _database = await TestDatabases.CreateAsync();
        var settings = TestDatabases.ReplicaSettings(_database);
        var started = await Task.WhenAll(DashboardApp.StartAsync(settings), DashboardApp.StartAsync(settings));
        (App, B) = (started[0], started[1]);
        await Task.WhenAll(App.WaitForEngineAsync("rig", EngineStatus.Up), B.WaitForEngineAsync("rig", EngineStatus.Up));
        Proxy = await NginxProxy.StartAsync(App.Address, B.Address);
    }

    protected override async Task StopAppAsync()
    {
        await Proxy.DisposeAsync();
        await App.DisposeAsync();
        await B.DisposeAsync();
        await TestDatabases.DropAsync(_database);
    }
}

public sealed class ReplicaFailoverTests(ReplicaBrowserFixture fixture) : IClassFixture<ReplicaBrowserFixture>
{
    [Fact]
    public async Task When_the_replica_serving_a_page_stops_the_page_comes_back_from_the_other_still_signed_in()
    {
        var replicas = new[] { fixture.App, fixture.B };
        var listening = replicas.Select(r => r.Get<EngineEventBroadcast>().SubscriberCount).ToArray();

        // The events page follows the engine's events on the replica serving its circuit: that one is the one to stop.
        var page = await fixture.OpenAsync("/events");
        var serving = await Eventually.GetAsync(
            () => Task.FromResult(Array.FindIndex(replicas, r => r.Get<EngineEventBroadcast>().SubscriberCount > listening[Array.IndexOf(replicas, r)])),
            index => index >= 0,
            TimeSpan.FromSeconds(20),
            "a replica to serve the page");
        var other = replicas[1 - serving];
        var otherListening = other.Get<EngineEventBroadcast>().SubscriberCount;

        await replicas[serving].StopAsync();

        // The page loses its circuit, reconnects through nginx to the other replica, which does not know it, and
        // reloads from there: the same page, signed in (one database, one key ring), live again.
        await Eventually.GetAsync(() => Task.FromResult(other.Get<EngineEventBroadcast>().SubscriberCount), n => n > otherListening, TimeSpan.FromSeconds(45), "the other replica to serve the page");
        await page.Locator("[data-interactive=true]").WaitForAsync(new() { Timeout = 30_000 });
        Assert.EndsWith("/events", page.Url, StringComparison.Ordinal);
        await Expect(page.Locator("[data-testid=stale]")).ToBeHiddenAsync();
        await Expect(page.Locator("[data-testid=account-menu]")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "failover-events");

        await fixture.Engine.RunAsync("failover", ["true"]);
        await Expect(page.Locator("[data-testid=event-object]", new() { HasText = "dd-failover-" }).First).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await replicas[serving].StartAgainAsync();
    }
}
