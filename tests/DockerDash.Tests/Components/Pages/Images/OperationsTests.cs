using Bunit;
using DockerDash.Jobs;
using DockerDash.Components.Jobs;
using DockerDash.Components.Pages.Images;
using DockerDash.Operations;
using Microsoft.Extensions.DependencyInjection;
using DockerDash.Callers;

namespace DockerDash.Tests.Components.Pages.Images;

public class OperationsTests : DashboardTestContext
{
    private static readonly Caller Someone = new(new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity([new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Name, "ana")], "test")), null);

    private IRenderedComponent<JobsPanel> RenderOpenPanel()
    {
        RenderProviders();
        var panel = Render<JobsPanel>();
        Services.GetRequiredService<JobsPanelState>().Open();
        return panel;
    }

    [Fact]
    public void The_panel_shows_layer_progress_as_it_comes_and_the_outcome_at_the_end()
    {
        var panel = RenderOpenPanel();
        var release = new TaskCompletionSource();
        Job? started = null;
        started = Background.Start("pull", "Pull web:1", "local", Someone, async op =>
        {
            op.ReportLayer("a1b2c3", "Downloading", 50, 200);
            op.ReportLayer("d4e5f6", "Already exists", 0, 0);
            await release.Task;
            op.ReportLayer("a1b2c3", "Pull complete", 0, 0);
            return "Pulled web:1.";
        });

        panel.WaitForAssertion(() =>
        {
            Assert.Equal("Running", panel.Find("[data-testid=job-state]").TextContent);
            Assert.Equal(2, panel.FindAll("[data-testid=job-layer]").Count);
            Assert.Contains("Downloading", panel.Find("[data-testid=job-layer]").TextContent, StringComparison.Ordinal);
        });

        release.SetResult();

        panel.WaitForAssertion(() =>
        {
            Assert.Equal("Succeeded", panel.Find("[data-testid=job-state]").TextContent);
            Assert.Equal("Pulled web:1.", panel.Find("[data-testid=job-outcome]").TextContent);
            Assert.Contains("Pull complete", panel.Find("[data-testid=job-layer]").TextContent, StringComparison.Ordinal);
        });
        Assert.Equal(JobState.Succeeded, started.State);
    }

    [Fact]
    public void A_failed_operation_keeps_the_engines_words_and_cancel_ends_a_running_one()
    {
        var panel = RenderOpenPanel();
        Background.Start("pull", "Pull nothing:1", "local", Someone, _ => throw new OperationFailedException("manifest for nothing:1 not found", OperationFailure.NotFound));
        var running = Background.Start("pull", "Pull slow:1", "local", Someone, async op =>
        {
            await Task.Delay(Timeout.Infinite, op.Cancellation);
            return "never";
        });

        panel.WaitForAssertion(() => Assert.Contains(panel.FindAll("[data-testid=job-outcome]"), o => o.TextContent == "manifest for nothing:1 not found"));
        panel.Find("[data-testid=job-cancel]").Click();

        panel.WaitForAssertion(() => Assert.Equal(JobState.Cancelled, running.State));
        panel.WaitForAssertion(() => Assert.Empty(panel.FindAll("[data-testid=job-cancel]")));
    }

    [Fact]
    public void An_invalid_reference_is_refused_on_the_page_before_any_engine_call()
    {
        RenderProviders();
        var page = Render<ImagesPage>();
        var callsBefore = Docker.Calls.Count;

        page.Find("input[data-testid=pull-reference]").Input("Bad Name:latest");

        page.WaitForAssertion(() => Assert.Contains("not a valid image reference", page.Markup, StringComparison.Ordinal));
        Assert.True(page.Find("[data-testid=pull-start]").HasAttribute("disabled"));
        Assert.Empty(Background.All);
        Assert.DoesNotContain(Docker.Calls.Skip(callsBefore), c => c.Contains("CreateImage", StringComparison.Ordinal));
    }
}
