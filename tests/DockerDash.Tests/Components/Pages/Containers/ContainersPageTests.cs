using Bunit;
using DockerDash.Components.Pages.Containers;
using DockerDash.Containers;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using static DockerDash.Tests.Fakes.Containers;

namespace DockerDash.Tests.Components.Pages.Containers;

public class ContainersPageTests : DashboardTestContext
{
    private static string[] RowNames(IRenderedComponent<ContainersPage> page) =>
        page.FindAll("[data-testid=container-row]").Select(r => r.GetAttribute("data-name")!).ToArray();

    [Fact]
    public void The_page_shows_every_container_of_the_snapshot()
    {
        Store.ReplaceEngine("local", [Make("web"), Make("db", state: "exited")]);
        RenderProviders();

        var page = Render<ContainersPage>();

        Assert.Equal(["db", "web"], RowNames(page));
        Assert.Equal(["exited", "running"], page.FindAll("[data-testid=state-chip]").Select(c => c.GetAttribute("data-state")));
    }

    [Fact]
    public void Prerendered_a_long_list_shows_its_first_rows_as_plain_html_and_counts_them_all()
    {
        Store.ReplaceEngine("local", [.. Enumerable.Range(0, 500).Select(i => Make($"c-{i:000}"))]);
        RenderProviders();
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));

        var page = Render<ContainersPage>();

        Assert.Equal(Enumerable.Range(0, ContainersPage.PrerenderedRows).Select(i => $"c-{i:000}"), RowNames(page));
        Assert.Equal("500 of 500", page.Find("[data-testid=container-count]").TextContent);
    }

    [Fact]
    public void Live_a_long_list_renders_only_what_is_in_view()
    {
        Store.ReplaceEngine("local", [.. Enumerable.Range(0, 500).Select(i => Make($"c-{i:000}"))]);
        RenderProviders();

        var page = Render<ContainersPage>();

        Assert.InRange(page.FindAll("[data-testid=container-row]").Count, 1, 499);
        Assert.Equal("500 of 500", page.Find("[data-testid=container-count]").TextContent);
    }

    [Fact]
    public void Changes_from_the_store_appear_without_a_reload()
    {
        var web = Make("web");
        Store.ReplaceEngine("local", [web]);
        RenderProviders();
        var page = Render<ContainersPage>();

        Store.ReplaceEngine("local", [web with { State = "exited", ExitCode = 3 }, Make("new-one")]);

        page.WaitForAssertion(() =>
        {
            Assert.Equal(["new-one", "web"], RowNames(page));
            Assert.Equal("exited", page.Find("[data-name=web]").Closest("tr")!.QuerySelector("[data-testid=state-chip]")!.GetAttribute("data-state"));
            Assert.Contains("exit code 3", page.Find("[data-name=web]").Closest("tr")!.TextContent, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Search_narrows_the_rows()
    {
        Store.ReplaceEngine("local", [Make("web-1"), Make("web-2"), Make("db", image: "postgres:16")]);
        RenderProviders();
        var page = Render<ContainersPage>();

        page.Find("input[data-testid=search]").Input("postgres");

        page.WaitForAssertion(() => Assert.Equal(["db"], RowNames(page)));
    }

    [Fact]
    public void Filters_from_the_address_show_only_matching_containers()
    {
        Store.ReplaceEngine("local", [Make("up-1"), Make("down-1", state: "exited"), Make("up-2")]);
        RenderProviders();
        Services.GetRequiredService<NavigationManager>().NavigateTo("/containers?state=exited");

        var page = Render<ContainersPage>();

        Assert.Equal(["down-1"], RowNames(page));
    }

    [Fact]
    public void Grouping_puts_containers_under_their_compose_project()
    {
        Store.ReplaceEngine("local", [Make("shop-web", project: "shop"), Make("shop-db", project: "shop"), Make("loner")]);
        RenderProviders();
        var page = Render<ContainersPage>();

        page.Find("input[data-testid=group-toggle]").Change(true);

        page.WaitForAssertion(() =>
        {
            var headers = page.FindAll("[data-testid=group-header]").Select(h => h.QuerySelectorAll("a").Aggregate(h.TextContent, (text, link) => text.Replace(link.TextContent, "", StringComparison.Ordinal)).Trim()).ToList();
            Assert.Equal([$"{ContainerListView.NoProject} (1)", "shop (2)"], headers.Order(StringComparer.Ordinal));
            Assert.Equal("/projects/local/shop", Assert.Single(page.FindAll("[data-testid=project-page]")).GetAttribute("href"));
            Assert.Equal("/projects/local/shop/logs", Assert.Single(page.FindAll("[data-testid=project-logs]")).GetAttribute("href"));
        });
    }

    [Fact]
    public void A_down_engine_shows_why()
    {
        RenderProviders();
        var page = Render<ContainersPage>();

        Engines.Connections[0].Lost("cannot reach unix:///nowhere/docker.sock: connection refused (is the engine running?)", retrying: false);

        page.WaitForAssertion(() =>
            Assert.Contains("connection refused (is the engine running?)", page.Find("[data-testid=engine-down]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Leaving_the_page_ends_its_subscription()
    {
        RenderProviders();
        var page = Render<ContainersPage>();
        Assert.Equal(1, Store.SubscriberCount);

        await DisposeComponentsAsync();

        Assert.Equal(0, Store.SubscriberCount);
    }

    [Fact]
    public async Task Bulk_stop_runs_the_containers_at_once_says_so_on_each_row_and_names_what_was_already_stopped()
    {
        var old = Make("old", state: "exited");
        Store.ReplaceEngine("local", [Make("web"), Make("api"), old]);
        var stopping = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var asked = 0;
        var allAsked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Docker.Answer = (call, args) =>
        {
            if (call != "Containers.StopContainerAsync")
            {
                return null;
            }

            if (Interlocked.Increment(ref asked) == 3)
            {
                allAsked.SetResult();
            }

            return (string)args[0]! == old.Id ? Task.FromResult(false) : stopping.Task;
        };
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        Render<MudBlazor.MudPopoverProvider>();
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var snackbars = Render<MudBlazor.MudSnackbarProvider>();
        var page = Render<ContainersPage>();

        page.Find("thead input[type=checkbox]").Change(true);
        page.WaitForElement("[data-testid=bulk-stop]").Click();
        dialogs.WaitForAssertion(() => dialogs.FindAll("button").First(b => b.TextContent.Trim() == "Stop").Click());

        // All three asked of the engine before any answered: they run side by side, each row saying so.
        await allAsked.Task.WaitAsync(TimeSpan.FromSeconds(10));
        page.WaitForAssertion(() => Assert.Equal(["Stopping…", "Stopping…"], page.FindAll("[data-testid=row-busy]").Select(b => b.TextContent.Trim())));
        Assert.Contains(Background.All, j => j.Title == "Stopping 3 containers" && j.State == DockerDash.Jobs.JobState.Running);

        stopping.SetResult(true);

        snackbars.WaitForAssertion(() => Assert.Contains("Stopped 2 of 3 containers; 1 was already stopped.", snackbars.Markup, StringComparison.Ordinal));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=row-busy]")));
        Assert.Contains(Background.All, j => j.Title == "Stopping 3 containers" && j.State == DockerDash.Jobs.JobState.Succeeded);
    }

    [Fact]
    public void A_paused_row_offers_unpause_and_every_row_links_to_its_logs()
    {
        var paused = Make("held", state: "paused");
        Store.ReplaceEngine("local", [paused, Make("web")]);
        RenderProviders();
        var page = Render<ContainersPage>();

        var row = page.Find("[data-name=held]").Closest("tr")!;
        Assert.NotNull(row.QuerySelector("[data-testid=row-unpause]"));
        Assert.Null(row.QuerySelector("[data-testid=row-restart]"));
        Assert.Equal($"/containers/local/{paused.Id}?tab=logs", row.QuerySelector("[data-testid=row-logs]")!.GetAttribute("href"));
        Assert.Equal(2, page.FindAll("[data-testid=row-logs]").Count);

        row.QuerySelector("[data-testid=row-unpause]")!.Click();
        page.WaitForAssertion(() => Assert.Contains("Containers.UnpauseContainerAsync", Docker.Calls));
    }

    [Fact]
    public void Search_and_toggles_go_into_the_address_and_the_toggles_are_remembered_for_the_next_visit()
    {
        Store.ReplaceEngine("local", [Make("web-1", project: "shop"), Make("db")]);
        RenderProviders();
        var navigation = Services.GetRequiredService<NavigationManager>();
        var page = Render<ContainersPage>();

        page.Find("input[data-testid=search]").Input("web");
        page.WaitForAssertion(() => Assert.Contains("q=web", navigation.Uri, StringComparison.Ordinal));
        page.Find("input[data-testid=group-toggle]").Change(true);

        page.WaitForAssertion(() => Assert.EndsWith("?q=web&group=true", navigation.Uri, StringComparison.Ordinal));
        var calls = JSInterop.Invocations["localStorage.setItem"];
        var remembered = calls[^1].Arguments;
        Assert.Equal([ContainersPage.RememberedViewKey, "?group=true"], remembered);
    }

    [Fact]
    public void A_bare_address_opens_the_view_this_browser_used_last()
    {
        Store.ReplaceEngine("local", [Make("web-1", project: "shop"), Make("db")]);
        JSInterop.Setup<string?>("localStorage.getItem", ContainersPage.RememberedViewKey).SetResult("?group=true");
        RenderProviders();

        var page = Render<ContainersPage>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=group-header]")));
        Assert.EndsWith("/?group=true", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void A_search_typed_before_the_browser_answers_stays_and_the_remembered_toggles_join_it()
    {
        Store.ReplaceEngine("local", [Make("web-1", project: "shop"), Make("db")]);
        var remembered = JSInterop.Setup<string?>("localStorage.getItem", ContainersPage.RememberedViewKey);
        RenderProviders();
        var navigation = Services.GetRequiredService<NavigationManager>();
        var page = Render<ContainersPage>();

        page.Find("input[data-testid=search]").Input("web");
        page.WaitForAssertion(() => Assert.Contains("q=web", navigation.Uri, StringComparison.Ordinal));
        remembered.SetResult("?group=true");

        page.WaitForAssertion(() => Assert.EndsWith("/?q=web&group=true", navigation.Uri, StringComparison.Ordinal));
        Assert.NotEmpty(page.FindAll("[data-testid=group-header]"));
        Assert.Equal("web", page.Find("input[data-testid=search]").GetAttribute("value"));
        Assert.DoesNotContain(page.FindAll("[data-name]"), row => row.GetAttribute("data-name") == "db");
    }
}
