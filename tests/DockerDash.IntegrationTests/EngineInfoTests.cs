using System.Text.Json;
using DockerDash.Engines;
using DockerDash.Engines.Info;
using DockerDash.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace DockerDash.IntegrationTests;

/// <summary>An engine's own page data against the rig's engine: facts, the seed's security notes, disk usage, and a prune that removes only what its dry run listed.</summary>
public class EngineInfoTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task The_engine_describes_itself_and_the_security_notes_are_checked_against_it()
    {
        var engine = fixture.App.As<EngineService>();
        var facts = await engine.FactsAsync("rig");
        var version = await fixture.Engine.Client.System.GetVersionAsync();

        Assert.Equal(version.Version, facts.ServerVersion);
        Assert.Equal("unix socket", facts.Transport);
        Assert.True(facts.Cpus > 0 && facts.Memory > 0);
        Assert.False(string.IsNullOrEmpty(facts.StorageDriver));
        var checks = SecurityNotes.Check(facts, EngineTransport.Unix);
        Assert.Equal([1, 2, 3, 4, 5, 6], checks.Select(c => c.Note));
        Assert.Equal(SecurityVerdict.Met, checks.Single(c => c.Note == 2).Verdict);

        await using var hub = fixture.App.Hub(await fixture.TokenAsync(DockerDash.Security.DashboardRole.Viewer));
        await hub.StartAsync();
        var info = await hub.InvokeAsync<JsonElement>("EngineInfo", "rig");
        Assert.Equal(version.Version, info.GetProperty("facts").GetProperty("serverVersion").GetString());
        var usage = await hub.InvokeAsync<JsonElement>("DiskUsage", "rig");
        Assert.Equal(["images", "containers", "volumes", "build cache"], usage.GetProperty("kinds").EnumerateArray().Select(k => k.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task A_container_prune_lists_stopped_containers_first_and_removes_only_those_it_listed()
    {
        var engine = fixture.App.As<EngineService>();
        var stopped = await fixture.Engine.RunSleeperAsync("prune-me", start: false);
        var running = await fixture.SharedSleeperAsync();

        var plan = await engine.PrunePlanAsync("rig", ["containers"]);
        Assert.Contains(plan, i => i.Id == stopped);
        Assert.DoesNotContain(plan, i => i.Id == running);
        var usage = await engine.DiskUsageAsync("rig");
        Assert.True(usage.Kinds.Single(k => k.Kind == "containers").ReclaimableCount >= 1);

        var outcome = await engine.PruneAsync("rig", [.. plan.Where(i => i.Id == stopped)]);
        Assert.Single(outcome.Removed);
        await Assert.ThrowsAsync<Docker.DotNet.DockerContainerNotFoundException>(() => fixture.Engine.InspectAsync(stopped));
        Assert.True((await fixture.Engine.InspectAsync(running)).State?.Running);

        var unknown = await Assert.ThrowsAsync<DockerDash.Operations.OperationFailedException>(() => engine.PrunePlanAsync("rig", ["everything"]));
        Assert.Contains("is not a kind to prune", unknown.Message, StringComparison.Ordinal);
    }
}
