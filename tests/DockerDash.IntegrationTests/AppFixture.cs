using DockerDash.Containers;
using DockerDash.Engines;
using DockerDash.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DockerDash.IntegrationTests;

/// <summary>One running DockerDash (on the rig engine) and one direct engine client per test class.</summary>
public sealed class AppFixture : IAsyncLifetime
{
    public DashboardApp App { get; private set; } = default!;

    public RigEngine Engine { get; private set; } = default!;

    public ContainerStore Store => App.Get<ContainerStore>();

    /// <summary>The app's container service as an admin's page would have it.</summary>
    public ContainerService Containers() => App.As<ContainerService>();

    public async Task InitializeAsync()
    {
        Engine = new RigEngine();
        App = await DashboardApp.StartAsync();
        await App.WaitForEngineAsync("rig", EngineStatus.Up);
    }

    public async Task DisposeAsync()
    {
        await Engine.DisposeAsync();
        await App.DisposeAsync();
    }
}
