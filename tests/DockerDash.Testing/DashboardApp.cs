using DockerDash.Engines;
using DockerDash.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace DockerDash.Testing;

/// <summary>The real DockerDash, on Kestrel at 127.0.0.1 on a free port, watching the rig's engine.</summary>
public sealed class DashboardApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DashboardApp(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    public T Get<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>Starts the app with the rig engine as <c>rig</c>, plus any engines and settings in <paramref name="settings"/>.</summary>
    public static async Task<DashboardApp> StartAsync(params string[] settings)
    {
        var contentRoot = FindWebProject();
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            "--contentRoot", contentRoot,
            "--applicationName", "DockerDash",
            "--DockerDash:Engines:0:Name=rig",
            $"--DockerDash:Engines:0:Endpoint={TestRig.EngineEndpoint}",
            "--Logging:LogLevel:Default=Warning",
            .. settings,
        ];
        var app = DockerDashApp.Build(args);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new DashboardApp(app, new Uri(address));
    }

    /// <summary>Waits until the app reports <paramref name="engine"/> in <paramref name="status"/>.</summary>
    public Task<EngineState> WaitForEngineAsync(string engine, EngineStatus status, TimeSpan? timeout = null) =>
        Eventually.GetAsync(
            () => Task.FromResult(Get<EngineDirectory>().Find(engine)!.State),
            s => s.Status == status,
            timeout ?? TimeSpan.FromSeconds(20),
            $"engine {engine} to be {status}");

    private static string FindWebProject()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "DockerDash");
            if (File.Exists(Path.Combine(candidate, "DockerDash.csproj")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("Cannot find src/DockerDash above " + AppContext.BaseDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
