using DockerDash.Containers;
using DockerDash.Engines;
using DockerDash.Security;
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

    private readonly Dictionary<DashboardRole, string> _tokens = [];
    private string? _sharedSleeper;

    /// <summary>One sleeper for the whole class, for tests that only read it; removed with the fixture.</summary>
    public async Task<string> SharedSleeperAsync() => _sharedSleeper ??= await Engine.RunSleeperAsync("shared");

    /// <summary>An API token with <paramref name="role"/> on every engine, made once per fixture.</summary>
    public async Task<string> TokenAsync(DashboardRole role)
    {
        if (!_tokens.TryGetValue(role, out var token))
        {
            _tokens[role] = token = await App.CreateTokenAsync(role);
        }

        return token;
    }

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
