using Docker.DotNet.Models;
using DockerDash.Containers;
using DockerDash.Engines;
using DockerDash.Testing;

namespace DockerDash.IntegrationTests;

/// <summary>Stops the shared engine: alone, after the other classes (<see cref="AloneCollection"/>).</summary>
[Collection(AloneCollection.Name)]
public class EngineRestartTests
{
    [Fact]
    public async Task After_the_engine_is_killed_and_started_again_the_store_equals_the_engines_own_list()
    {
        await using var app = await DashboardApp.StartAsync();
        await app.WaitForEngineAsync("rig", EngineStatus.Up);
        await using var engine = new RigEngine();
        var survivor = await engine.RunSleeperAsync("crash");
        var store = app.Get<ContainerStore>();
        await store.WaitForAsync(c => c.Id == survivor && c.State == "running", TimeSpan.FromSeconds(10), "the container running");

        RigEngine.KillEngineHard();
        var down = await app.WaitForEngineAsync("rig", EngineStatus.Down);
        Assert.False(string.IsNullOrEmpty(down.Reason));

        await RigEngine.StartEngineAsync();
        await app.WaitForEngineAsync("rig", EngineStatus.Up, TimeSpan.FromSeconds(60));

        // The engine's crash took its containers with it, and no event said so: only the re-list can tell.
        var listed = await engine.Client.Containers.ListContainersAsync(new ContainersListParameters { All = true });
        var expected = listed.Select(c => (c.ID, c.State)).Order().ToList();
        var actual = store.Snapshot().Where(c => c.Engine == "rig").Select(c => (c.Id, c.State)).Order().ToList();
        Assert.Equal(expected, actual);
        Assert.Contains((survivor, "exited"), actual);
    }
}
