using Microsoft.Extensions.DependencyInjection;
using Bunit;
using DockerDash.Components.Pages.Containers;
using DockerDash.Containers;
using DockerDash.Operations;
using DockerDash.Tests.Fakes;
using static DockerDash.Tests.Fakes.Containers;

namespace DockerDash.Tests.Components.Pages.Containers;

public class ContainerDetailPageTests : DashboardTestContext
{
    private IRenderedComponent<ContainerDetailPage> RenderDetail(ContainerInfo container)
    {
        Store.ReplaceEngine("local", [container]);
        Docker.Answer = (call, _) => call == "Containers.InspectContainerAsync" ? Inspected(container, ["TOKEN=s3cret"]) : null;
        RenderProviders();
        return Render<ContainerDetailPage>(p => p.Add(x => x.Engine, "local").Add(x => x.Id, container.Id));
    }

    [Fact]
    public void The_processes_tab_lists_the_engines_processes_not_a_field_name()
    {
        var container = Make("web");
        Store.ReplaceEngine("local", [container]);
        Docker.Answer = (call, _) => call switch
        {
            "Containers.InspectContainerAsync" => Inspected(container),
            "Containers.ListProcessesAsync" => new Docker.DotNet.Models.ContainerProcessesResponse { Titles = ["PID", "CMD"], Processes = [["1", "sleep 3600"]] },
            _ => null,
        };
        RenderProviders();
        var page = Render<ContainerDetailPage>(p => p.Add(x => x.Engine, "local").Add(x => x.Id, container.Id));

        page.WaitForAssertion(() => page.FindAll(".mud-tab").First(t => t.TextContent.Contains("Processes", StringComparison.Ordinal)).Click());

        page.WaitForAssertion(() => Assert.Contains("sleep 3600", page.Find("[data-testid=processes]").TextContent, StringComparison.Ordinal));
        Assert.DoesNotContain("_processError", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void The_open_tab_is_in_the_address_so_a_link_can_open_the_logs()
    {
        var container = Make("web");
        Store.ReplaceEngine("local", [container]);
        Docker.Answer = (call, _) => call == "Containers.InspectContainerAsync" ? Inspected(container) : null;
        RenderProviders();
        var navigation = Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();

        navigation.NavigateTo($"/containers/local/{container.Id}?tab=logs");
        var page = Render<ContainerDetailPage>(p => p.Add(x => x.Engine, "local").Add(x => x.Id, container.Id));

        page.WaitForAssertion(() => Assert.Contains("Logs", page.Find(".mud-tab-active").TextContent, StringComparison.Ordinal));
        Assert.NotEmpty(page.FindAll("[data-testid=log-viewer]"));

        page.FindAll(".mud-tab").First(t => t.TextContent.Contains("Inspect", StringComparison.Ordinal)).Click();
        page.WaitForAssertion(() => Assert.EndsWith("?tab=inspect", navigation.Uri, StringComparison.Ordinal));
    }

    [Fact]
    public void Start_goes_through_the_gate_to_the_engine_and_is_audited()
    {
        var page = RenderDetail(Make("web", state: "exited"));

        page.Find("[data-testid=action-start]").Click();

        page.WaitForAssertion(() => Assert.Contains("Containers.StartContainerAsync", Docker.Calls));
        var record = Assert.Single(Audit.Records, r => r.Operation == EngineOperations.ContainerStart.Name);
        Assert.Equal((OperationOutcome.Succeeded, "local"), (record.Outcome, record.Engine));
    }

    [Fact]
    public void An_action_denied_after_the_page_opened_never_reaches_the_engine_and_says_so()
    {
        var policy = new DenyingPolicy();
        Policy = policy;
        var snackbars = RenderProviders();
        var container = Make("web");
        Store.ReplaceEngine("local", [container]);
        Docker.Answer = (call, _) => call == "Containers.InspectContainerAsync" ? Inspected(container) : null;
        var page = Render<ContainerDetailPage>(p => p.Add(x => x.Engine, "local").Add(x => x.Id, container.Id));
        var pause = page.Find("[data-testid=action-pause]");

        // The caller's role changes while the page is open: the button is still there, the gate decides.
        policy.Denied.Add(EngineOperations.ContainerPause);
        pause.Click();

        snackbars.WaitForAssertion(() => Assert.Contains("You may not container.pause", snackbars.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain("Containers.PauseContainerAsync", Docker.Calls);
        Assert.Equal(EngineOperations.ContainerPause.Name, Assert.Single(Audit.Records, r => r.Outcome == OperationOutcome.Denied).Operation);
    }

    [Fact]
    public void An_engine_refusal_is_shown_in_the_engines_words()
    {
        var snackbars = RenderProviders();
        var container = Make("web", state: "exited");
        Store.ReplaceEngine("local", [container]);
        Docker.Answer = (call, _) => call switch
        {
            "Containers.InspectContainerAsync" => Inspected(container),
            "Containers.StartContainerAsync" => new Docker.DotNet.DockerApiException(System.Net.HttpStatusCode.InternalServerError, """{"message":"OCI runtime create failed: no such file"}"""),
            _ => null,
        };
        var page = Render<ContainerDetailPage>(p => p.Add(x => x.Engine, "local").Add(x => x.Id, container.Id));

        page.Find("[data-testid=action-start]").Click();

        snackbars.WaitForAssertion(() => Assert.Contains("OCI runtime create failed: no such file", snackbars.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain("StackTrace", snackbars.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_begun_before_a_stop_that_answers_after_it_does_not_bring_running_back()
    {
        RenderProviders();
        var running = Make("web");
        var exited = Make("web", state: "exited");
        var slowRead = new TaskCompletionSource<Docker.DotNet.Models.ContainerInspectResponse>();
        var reads = 0;
        Store.ReplaceEngine("local", [running]);
        Docker.Answer = (call, _) => call != "Containers.InspectContainerAsync" ? null : Interlocked.Increment(ref reads) switch
        {
            1 => Inspected(running),
            2 => slowRead.Task,
            _ => Inspected(exited),
        };
        var page = Render<ContainerDetailPage>(p => p.Add(x => x.Engine, "local").Add(x => x.Id, running.Id));
        page.WaitForAssertion(() => Assert.Equal("running", page.Find("[data-testid=state-chip]").GetAttribute("data-state")));

        // The store hears of a change (the engine's kill event): the page reads again, and that read is slow.
        Store.ReplaceEngine("local", [running with { Health = "starting" }]);
        page.WaitForAssertion(() => Assert.Equal(2, reads));
        page.Find("[data-testid=action-stop]").Click();
        Dialogs.WaitForElement("[data-testid=confirm-stop]").Click();
        page.WaitForAssertion(() => Assert.Equal("exited", page.Find("[data-testid=state-chip]").GetAttribute("data-state")));

        // Answered on the page's own dispatcher, the slow read's continuations run to their end before this returns.
        await page.InvokeAsync(() => slowRead.SetResult(Inspected(running)));

        Assert.Equal("exited", page.Find("[data-testid=state-chip]").GetAttribute("data-state"));
    }

    [Fact]
    public void The_page_says_so_when_the_container_disappears()
    {
        var container = Make("web");
        var page = RenderDetail(container);
        page.WaitForAssertion(() => Assert.Equal("web", page.Find("[data-testid=container-name]").TextContent));

        Store.ReplaceEngine("local", []);

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=container-gone]")));
        Assert.True(page.Find("[data-testid=action-stop]").HasAttribute("disabled"));
    }

    [Fact]
    public void An_unknown_container_gets_the_engines_message()
    {
        Docker.Answer = (call, _) => call == "Containers.InspectContainerAsync"
            ? new Docker.DotNet.DockerContainerNotFoundException(System.Net.HttpStatusCode.NotFound, """{"message":"No such container: nope"}""")
            : null;
        RenderProviders();

        var page = Render<ContainerDetailPage>(p => p.Add(x => x.Engine, "local").Add(x => x.Id, "nope"));

        page.WaitForAssertion(() => Assert.Equal("No such container: nope", page.Find("[data-testid=detail-error]").TextContent.Trim()));
    }

    [Fact]
    public void Environment_values_are_masked_until_revealed()
    {
        var page = RenderDetail(Make("web"));
        page.WaitForAssertion(() => page.Find("[data-testid=container-name]"));

        page.FindAll(".mud-tab").First(t => t.TextContent.Contains("Inspect", StringComparison.Ordinal)).Click();
        var json = page.WaitForElement("[data-testid=inspect-json]").TextContent;
        Assert.DoesNotContain("s3cret", json, StringComparison.Ordinal);
        Assert.Contains("TOKEN=" + ContainerDetails.Mask, json, StringComparison.Ordinal);

        page.Find("input[data-testid=reveal-env]").Change(true);
        page.WaitForAssertion(() => Assert.Contains("TOKEN=s3cret", page.Find("[data-testid=inspect-json]").TextContent, StringComparison.Ordinal));
    }
}
