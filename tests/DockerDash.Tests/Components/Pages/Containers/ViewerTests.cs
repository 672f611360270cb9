using Bunit;
using DockerDash.Components.Pages.Containers;
using DockerDash.Containers;
using DockerDash.Security;
using DockerDash.Testing;
using static DockerDash.Tests.Fakes.Containers;

namespace DockerDash.Tests.Components.Pages.Containers;

/// <summary>What a Viewer sees, with the real role policy.</summary>
public class ViewerTests : DashboardTestContext
{
    public ViewerTests()
    {
        Policy = new RolePolicy();
    }

    [Fact]
    public void A_viewer_sees_the_containers_but_no_action_buttons()
    {
        Store.ReplaceEngine("local", [Make("web"), Make("db", state: "exited")]);
        Caller = TestCallers.With(DashboardRole.Viewer);
        RenderProviders();

        var page = Render<ContainersPage>();

        Assert.Equal(2, page.FindAll("[data-testid=container-row]").Count);
        Assert.Empty(page.FindAll("[data-testid=row-stop]"));
        Assert.Empty(page.FindAll("[data-testid=row-start]"));
        Assert.Empty(page.FindAll("a[href='/containers/create']"));
        Assert.Empty(page.FindAll("table input[type=checkbox]"));
    }

    [Fact]
    public void An_operator_sees_stop_but_not_remove()
    {
        var web = Make("web");
        Store.ReplaceEngine("local", [web]);
        Docker.Answer = (call, _) => call == "Containers.InspectContainerAsync" ? Inspected(web) : null;
        Caller = TestCallers.With(DashboardRole.Operator);
        RenderProviders();

        var page = Render<ContainerDetailPage>(p => p.Add(x => x.Engine, "local").Add(x => x.Id, web.Id));

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=action-stop]")));
        Assert.Empty(page.FindAll("[data-testid=action-remove]"));
        Assert.Empty(page.FindAll("[data-testid=action-rename]"));
    }

    [Fact]
    public void A_viewer_sees_environment_values_and_secret_labels_masked_with_nothing_to_reveal()
    {
        var web = Make("web", labels: new() { ["db.password"] = "hunter2", ["team"] = "core" });
        Store.ReplaceEngine("local", [web]);
        Docker.Answer = (call, _) => call == "Containers.InspectContainerAsync" ? Inspected(web, ["API_TOKEN=s3cret"]) : null;
        Caller = TestCallers.With(DashboardRole.Viewer);
        RenderProviders();

        var page = Render<ContainerDetailPage>(p => p.Add(x => x.Engine, "local").Add(x => x.Id, web.Id));
        page.WaitForAssertion(() => page.Find("[data-testid=container-name]"));

        Assert.Empty(page.FindAll("[data-testid^=action-]"));
        Assert.DoesNotContain("hunter2", page.Markup, StringComparison.Ordinal);
        page.FindAll(".mud-tab").First(t => t.TextContent.Contains("Inspect", StringComparison.Ordinal)).Click();
        var json = page.WaitForElement("[data-testid=inspect-json]").TextContent;
        Assert.DoesNotContain("s3cret", json, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", json, StringComparison.Ordinal);
        Assert.Contains("API_TOKEN=" + ContainerDetails.Mask, json, StringComparison.Ordinal);
        Assert.Contains("core", json, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("input[data-testid=reveal-env]"));
        Assert.NotNull(page.Find("[data-testid=secrets-hidden]"));
    }
}
