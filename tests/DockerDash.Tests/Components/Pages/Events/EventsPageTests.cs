using Bunit;
using DockerDash.Components.Pages.Events;
using DockerDash.Events;
using Microsoft.Extensions.DependencyInjection;

namespace DockerDash.Tests.Components.Pages.Events;

public class EventsPageTests : DashboardTestContext
{
    private EngineEventBroadcast Broadcast => Services.GetRequiredService<EngineEventBroadcast>();

    private static EngineEvent Event(string type, string action, string name, string engine = "local") =>
        new(engine, type, action, $"{name}-id-0123456789abcdef", name, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000, new Dictionary<string, string> { ["name"] = name });

    private static string[] Rows(IRenderedComponent<EventsPage> page) =>
        page.FindAll("[data-testid=event-row]").Select(r => $"{r.QuerySelector("[data-testid=event-action]")!.TextContent} {r.QuerySelector("[data-testid=event-object]")!.TextContent}").ToArray();

    private IRenderedComponent<EventsPage> RenderFollowing()
    {
        RenderProviders();
        var page = Render<EventsPage>();
        page.WaitForState(() => Broadcast.SubscriberCount == 1);
        return page;
    }

    [Fact]
    public void Live_events_appear_newest_first_with_links_to_their_objects()
    {
        var page = RenderFollowing();

        Broadcast.Publish(Event("container", "start", "web"));
        Broadcast.Publish(Event("network", "connect", "backend"));

        Broadcast.Publish(Event("plugin", "enable", "sshfs"));

        page.WaitForAssertion(() => Assert.Equal(["enable sshfs", "connect backend", "start web"], Rows(page)));
        Assert.Equal(["/networks/local/backend", "/containers/local/web-id-0123456789abcdef"], page.FindAll("a[data-testid=event-object]").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public void The_filters_narrow_by_type_action_and_name()
    {
        var page = RenderFollowing();
        Broadcast.Publish(Event("container", "die", "web"));
        Broadcast.Publish(Event("container", "health_status: unhealthy", "db"));
        Broadcast.Publish(Event("image", "pull", "busybox:latest"));
        Broadcast.Publish(Event("volume", "create", "web-data"));
        page.WaitForAssertion(() => Assert.Equal(4, Rows(page).Length));

        page.Find("input[data-testid=filter-name]").Input("web");
        page.WaitForAssertion(() => Assert.Equal(["create web-data", "die web"], Rows(page)));

        page.Find("input[data-testid=filter-name]").Input("");
        page.Find("input[data-testid=filter-action]").Input("health");
        page.WaitForAssertion(() => Assert.Equal(["health_status: unhealthy db"], Rows(page)));
    }

    [Fact]
    public void Filters_come_from_the_address_and_match_exact_types()
    {
        var navigation = Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        navigation.NavigateTo("/events?type=image");
        var page = RenderFollowing();

        Broadcast.Publish(Event("container", "start", "web"));
        Broadcast.Publish(Event("image", "tag", "web:2"));

        page.WaitForAssertion(() => Assert.Equal(["tag web:2"], Rows(page)));
    }

    [Fact]
    public void Pause_holds_the_view_and_counts_what_arrives_then_resume_shows_it()
    {
        var page = RenderFollowing();
        Broadcast.Publish(Event("container", "start", "one"));
        page.WaitForAssertion(() => Assert.Equal(["start one"], Rows(page)));

        page.Find("[data-testid=events-pause]").Click();
        Broadcast.Publish(Event("container", "stop", "two"));
        Broadcast.Publish(Event("container", "stop", "three"));

        page.WaitForAssertion(() => Assert.Contains("Resume (2 new)", page.Find("[data-testid=events-pause]").TextContent, StringComparison.Ordinal));
        Assert.Equal(["start one"], Rows(page));

        page.Find("[data-testid=events-pause]").Click();
        page.WaitForAssertion(() => Assert.Equal(["stop three", "stop two", "start one"], Rows(page)));
    }

    [Fact]
    public void The_history_is_a_bounded_ring()
    {
        var history = new EventHistory(capacity: 3);
        foreach (var name in new[] { "a", "b", "c", "d", "e" })
        {
            history.Add(Event("container", "start", name));
        }

        Assert.Equal(["e", "d", "c"], history.NewestFirst().Select(e => e.Name));
        Assert.Equal(5, history.Added);
    }

    [Fact]
    public void The_page_opens_with_what_just_happened_then_follows_live()
    {
        Broadcast.Publish(Event("container", "create", "early"));
        Broadcast.Publish(Event("container", "start", "early"));

        var page = RenderFollowing();
        page.WaitForAssertion(() => Assert.Equal(["start early", "create early"], Rows(page)));

        Broadcast.Publish(Event("container", "stop", "early"));
        page.WaitForAssertion(() => Assert.Equal(["stop early", "start early", "create early"], Rows(page)));
    }

    [Fact]
    public void Health_check_execs_are_hidden_until_asked_for_and_a_death_shows_its_exit_code()
    {
        var page = RenderFollowing();
        Broadcast.Publish(Event("container", "exec_create: /bin/sh -c wget -q localhost", "web"));
        Broadcast.Publish(Event("container", "exec_start: /bin/sh -c wget -q localhost", "web"));
        Broadcast.Publish(Event("container", "exec_die", "web"));
        Broadcast.Publish(Event("container", "die", "web") with { Attributes = new Dictionary<string, string> { ["name"] = "web", ["exitCode"] = "137" } });

        page.WaitForAssertion(() => Assert.Equal(["die web"], Rows(page)));
        Assert.Equal("exit code 137", page.Find("[data-testid=event-detail]").TextContent);

        page.Find("input[data-testid=filter-exec]").Change(true);
        page.WaitForAssertion(() => Assert.Equal(4, Rows(page).Length));

        page.Find("input[data-testid=filter-exec]").Change(false);
        page.Find("input[data-testid=filter-action]").Input("exec_die");
        page.WaitForAssertion(() => Assert.Equal(["exec_die web"], Rows(page)));
    }
}
