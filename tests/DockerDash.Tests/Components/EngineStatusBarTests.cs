using Bunit;
using DockerDash.Components.Shared;
using DockerDash.Engines;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace DockerDash.Tests.Components;

public sealed class EngineStatusBarTests : BunitContext, IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>MudBlazor's services dispose only asynchronously.</summary>
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    private IRenderedComponent<EngineStatusBar> RenderBar(int engines, params string[] down)
    {
        var directory = new EngineDirectory([.. Enumerable.Range(0, engines).Select(i => new EngineEndpoint($"e{i}", new Uri("unix:///nowhere/docker.sock"), null))], TimeProvider.System);
        foreach (var connection in directory.Connections)
        {
            if (down.Contains(connection.Name))
            {
                connection.Lost("connection refused", retrying: false);
            }
            else
            {
                connection.Connected(new NegotiatedEngine(EngineClientFactory.Create(connection.Endpoint, null), new HttpClient(), "1.41", "27.0"));
            }
        }

        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(directory);
        Render<MudBlazor.MudPopoverProvider>();
        return Render<EngineStatusBar>();
    }

    private static string[] Chips(IRenderedComponent<EngineStatusBar> bar) => [.. bar.FindAll("[data-engine]").Select(c => c.GetAttribute("data-engine")!)];

    [Fact]
    public void A_few_engines_each_have_their_own_chip()
    {
        var bar = RenderBar(EngineStatusBar.ChipsUpTo, down: "e2");

        Assert.Equal(["e0", "e1", "e2", "e3", "e4"], Chips(bar));
        Assert.Empty(bar.FindAll("[data-testid=engines-up]"));
    }

    [Fact]
    public void With_many_engines_those_up_share_one_chip_and_the_others_keep_their_own()
    {
        var bar = RenderBar(20, down: "e7");

        Assert.Equal(["e7"], Chips(bar));
        Assert.Equal("down", bar.Find("[data-engine=e7]").GetAttribute("data-status"));
        Assert.Equal("19 more up", bar.Find("[data-testid=engines-up]").TextContent.Trim());
    }

    [Fact]
    public void With_many_engines_all_up_one_chip_says_so()
    {
        var bar = RenderBar(20);

        Assert.Empty(Chips(bar));
        Assert.Equal("20 up", bar.Find("[data-testid=engines-up]").TextContent.Trim());
    }
}
