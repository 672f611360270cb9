using Bunit;
using DockerDash.Components.Pages.Home;
using DockerDash.Components.Pages.Wall;
using DockerDash.Containers;
using DockerDash.Overview;
using Microsoft.Extensions.DependencyInjection;
using static DockerDash.Tests.Fakes.Containers;

namespace DockerDash.Tests.Components.Pages.Wall;

public class WallPageTests : DashboardTestContext
{
    private static string[] Tiles(IRenderedComponent<WallPage> page) =>
        page.FindAll("[data-testid=status-tile]").Select(t => $"{t.GetAttribute("data-title")}={t.GetAttribute("data-state")}").ToArray();

    [Fact]
    public void Tiles_are_coloured_by_their_worst_state_and_ordered_worst_first()
    {
        Store.ReplaceEngine("local",
        [
            Make("shop-web", project: "shop"), Make("shop-db", project: "shop") with { Health = "unhealthy" },
            Make("blog-web", project: "blog"), Make("blog-cron", state: "exited", exitCode: 2, project: "blog"),
            Make("wiki-web", project: "wiki"),
            Make("old", state: "exited", project: "archive"),
        ]);

        var page = Render<WallPage>();

        Assert.Equal(["local=Critical", "shop=Critical", "blog=Warning", "wiki=Healthy", "archive=Idle"], Tiles(page));
        var local = page.Find("[data-testid=status-tile][data-title=local]");
        Assert.Contains("tile-critical", local.ClassList);
        Assert.Equal("4", local.QuerySelector("[data-testid=count-running]")!.TextContent);
        Assert.Equal("1", local.QuerySelector("[data-testid=count-unhealthy]")!.TextContent);
        Assert.Equal("2", local.QuerySelector("[data-testid=count-exited]")!.TextContent);
    }

    [Fact]
    public void The_containers_needing_attention_come_first_by_urgency_and_follow_the_engine()
    {
        var web = Make("web");
        Store.ReplaceEngine("local", [web, Make("cron", state: "exited", exitCode: 1), Make("api", state: "restarting", exitCode: 1), Make("done", state: "exited")]);
        var page = Render<WallPage>();

        Assert.Equal(["api", "cron"], page.FindAll("[data-testid=attention-row]").Select(r => r.GetAttribute("data-name")));

        Store.ReplaceEngine("local", [web with { Health = "unhealthy" }, Make("cron", state: "exited", exitCode: 1), Make("done", state: "exited")]);

        page.WaitForAssertion(() => Assert.Equal(["web", "cron"], page.FindAll("[data-testid=attention-row]").Select(r => r.GetAttribute("data-name"))));
        Assert.Empty(page.FindAll("button, input, select, a"));
    }

    [Fact]
    public void An_engine_that_is_down_is_a_critical_tile()
    {
        Store.ReplaceEngine("local", [Make("web")]);
        Engines.Connections[0].Lost("connection refused", retrying: false);

        var page = Render<WallPage>();

        Assert.Equal(["local=Critical"], Tiles(page));
        Assert.Contains("connection refused", page.Find("[data-testid=status-tile]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_overview_lists_engines_and_links_each_container_needing_attention()
    {
        Store.ReplaceEngine("local", [Make("web"), Make("cron", state: "exited", exitCode: 1)]);
        RenderProviders();

        var page = Render<HomePage>();

        Assert.Equal("local", page.Find("[data-testid=home-engines] [data-testid=status-tile]").GetAttribute("data-title"));
        var row = page.Find("[data-testid=attention-row]");
        Assert.Equal("cron", row.GetAttribute("data-name"));
        Assert.StartsWith("/containers/local/", row.GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public void Rotation_by_project_shows_one_project_at_a_time()
    {
        Store.ReplaceEngine("local", [Make("shop-web", project: "shop"), Make("blog-web", project: "blog"), Make("blog-db", state: "exited", exitCode: 1, project: "blog")]);
        Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo("/wall?rotate=1&by=project");

        var page = Render<WallPage>();

        Assert.Equal("blog · local", page.Find("[data-testid=wall-focus]").TextContent);
        Assert.Equal(["local=Warning", "blog=Warning"], Tiles(page));
        Assert.Equal(["blog-db"], page.FindAll("[data-testid=attention-row]").Select(r => r.GetAttribute("data-name")));
        page.WaitForAssertion(() => Assert.Equal("shop · local", page.Find("[data-testid=wall-focus]").TextContent));
        Assert.Equal(["local=Warning", "shop=Healthy"], Tiles(page));
        Assert.Empty(page.FindAll("[data-testid=attention-row]"));
    }

    [Fact]
    public void Counts_tell_failed_exits_from_clean_ones()
    {
        var counts = StatusCounts.Of([Make("a", state: "exited"), Make("b", state: "exited", exitCode: 137), Make("c", state: "dead"), Make("d", state: "paused")]);

        Assert.Equal(new StatusCounts(Running: 0, Unhealthy: 0, Restarting: 0, Exited: 3, Failed: 2, Paused: 1, Total: 4), counts);
        Assert.Equal(TileState.Warning, counts.State);
    }

    [Fact]
    public void Paused_and_created_containers_are_counted_and_a_crash_loop_stays_in_view_between_restarts()
    {
        Store.ReplaceEngine("local",
        [
            Make("web"), Make("held", state: "paused"), Make("fresh", state: "created"),
            Make("looping") with { RestartCount = 5 },
        ]);

        var page = Render<WallPage>();

        var local = page.Find("[data-testid=status-tile][data-title=local]");
        Assert.Equal("1", local.QuerySelector("[data-testid=count-paused]")!.TextContent);
        Assert.Equal("1", local.QuerySelector("[data-testid=count-created]")!.TextContent);
        var row = Assert.Single(page.FindAll("[data-testid=attention-row]"));
        Assert.Equal("looping", row.GetAttribute("data-name"));
        Assert.Contains("restarted 5 times", row.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_ticker_leaves_out_health_check_execs()
    {
        Store.ReplaceEngine("local", [Make("web")]);
        var broadcast = Services.GetRequiredService<DockerDash.Events.EngineEventBroadcast>();
        var page = Render<WallPage>();
        page.WaitForState(() => broadcast.SubscriberCount == 1);

        foreach (var action in new[] { "exec_create: wget -q localhost", "exec_start: wget -q localhost", "exec_die", "stop" })
        {
            broadcast.Publish(new DockerDash.Events.EngineEvent("local", "container", action, "web-id", "web", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000, new Dictionary<string, string>()));
        }

        page.WaitForAssertion(() => Assert.Contains("web stop", page.Find("[data-testid=wall-ticker]").TextContent, StringComparison.Ordinal));
        Assert.DoesNotContain("exec_", page.Find("[data-testid=wall-ticker]").TextContent, StringComparison.Ordinal);
    }
}
