using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection;
using Bunit;
using Docker.DotNet.Models;
using DockerDash.Containers;
using DockerDash.Engines;
using DockerDash.Events;
using DockerDash.Logs;
using DockerDash.Stats;
using DockerDash.Operations;
using DockerDash.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor;
using MudBlazor.Services;
using DockerDash.Callers;

namespace DockerDash.Tests.Components;

/// <summary>
/// A bUnit context with DockerDash's own registrations (<see cref="DockerDash.Hosting.DockerDashHosting.AddDashboardServices"/>):
/// the real store, gate and services; only the engine client is a fake, and the policy, audit and job runner
/// are ones a test can set and read. One engine, <c>local</c>, is up unless a test says otherwise.
/// </summary>
public abstract class DashboardTestContext : BunitContext, IAsyncLifetime
{
    protected DashboardTestContext()
    {
        Engines = new EngineDirectory([new EngineEndpoint("local", new Uri("unix:///nowhere/docker.sock"), null)], TimeProvider.System);
        Engines.Connections[0].Connected(new NegotiatedEngine(Docker.Client, new HttpClient(new FakeEngineHttp(Docker)) { BaseAddress = new Uri("http://engine/v1.41/") }, "1.41", "20.10.24"));

        // Pages update from background tasks; on two busy cores one second is not always enough.
        DefaultWaitTimeout = TimeSpan.FromSeconds(10);
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddLogging();
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        DockerDash.Hosting.DockerDashHosting.AddDashboardServices(Services);
        // No resource history in component tests (their database has no tables); the integration tests cover it.
        Services.Configure<DockerDash.History.HistoryOptions>(o => o.Enabled = false);
        // Resolved by the update checker's registry lookup, never opened by a component test.
        Services.AddDbContextFactory<DockerDash.Data.DashboardDbContext>(o => o.UseSqlite("Data Source=:memory:"));
        Services.AddDataProtection().UseEphemeralDataProtectionProvider();

        // What a test arranges or reads, in place of the app's own.
        Services.AddSingleton(Engines);
        Services.AddSingleton(Store);
        Services.AddSingleton<IOperationPolicy>(_ => Policy);
        Services.AddSingleton<IOperationAudit>(Audit);
        Services.AddSingleton(Background);
        Services.AddSingleton(sp => new DockerDash.Terminals.TerminalRecordings(
            Path.Combine(Path.GetTempPath(), "dockerdash-bunit-recordings"), Microsoft.Extensions.Options.Options.Create(new DockerDash.Terminals.TerminalOptions()), TimeProvider.System));
    }

    protected ContainerStore Store { get; } = new();

    protected DockerDash.Jobs.JobRunner Background { get; } = new(TimeProvider.System, Fakes.TestMetrics.Create(), NullLogger<DockerDash.Jobs.JobRunner>.Instance);

    protected EngineDirectory Engines { get; }

    protected FakeDockerClient Docker { get; } = new();

    protected RecordingAudit Audit { get; } = new();

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>MudBlazor's services dispose only asynchronously, so the context must be disposed that way.</summary>
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    /// <summary>Set before the first render: the gate reads it once.</summary>
    protected IOperationPolicy Policy { get; set; } = new AllowAllPolicy();

    /// <summary>Who the rendered pages act for (anonymous unless a test says otherwise; the policy decides what that may do).</summary>
    protected Caller Caller
    {
        set => Services.GetRequiredService<CallerContext>().Current = value;
    }

    /// <summary>Where the pages' dialogs are rendered, once <see cref="RenderProviders"/> ran.</summary>
    protected IRenderedComponent<MudDialogProvider> Dialogs { get; private set; } = default!;

    /// <summary>
    /// Renders MudBlazor's providers (popovers, dialogs, snackbars) as the layout would, in a live circuit as in the
    /// browser once a page is interactive (a test may then set a prerender).
    /// </summary>
    protected IRenderedComponent<MudSnackbarProvider> RenderProviders()
    {
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        Render<MudPopoverProvider>();
        Dialogs = Render<MudDialogProvider>();
        return Render<MudSnackbarProvider>();
    }

    protected static ContainerInspectResponse Inspected(ContainerInfo c, IList<string>? env = null) => new()
    {
        ID = c.Id,
        Name = "/" + c.Name,
        Path = "sleep",
        Args = ["1000"],
        Image = "sha256:1234",
        Created = DateTime.UtcNow,
        RestartCount = 0,
        State = new State { Status = c.State, Running = c.State == "running", StartedAt = DateTime.UtcNow.ToString("O"), FinishedAt = "0001-01-01T00:00:00Z" },
        Config = new ContainerConfig { Image = c.Image, Env = env ?? ["PATH=/bin"], Labels = new Dictionary<string, string>(c.Labels) },
        Mounts = [],
    };
}
