using DockerDash.Engines;
using DockerDash.Operations;
using DockerDash.Security;
using DockerDash.Security.Audit;
using DockerDash.Data;
using DockerDash.Security.Tokens;
using Microsoft.AspNetCore.SignalR.Client;
using DockerDash.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using DockerDash.Callers;

namespace DockerDash.Testing;

/// <summary>The real DockerDash, on Kestrel at 127.0.0.1 on a free port, watching the rig's engine.</summary>
public sealed class DashboardApp : IAsyncDisposable
{
    private readonly string _data;

    private readonly string[] _args;

    /// <summary>A PostgreSQL database this app was given for itself, dropped with it.</summary>
    private readonly string? _ownDatabase;

    private WebApplication _app;

    private bool _stopped;

    private DashboardApp(WebApplication app, Uri address, string data, string[] args, string? ownDatabase)
    {
        _app = app;
        Address = address;
        _data = data;
        _args = args;
        _ownDatabase = ownDatabase;
    }

    /// <summary>
    /// Where apps keep their data unless a test names <c>DockerDash:Database</c> settings itself: SQLite (the app's
    /// default) or a fresh database of the rig's PostgreSQL. Set once per test assembly.
    /// </summary>
    public static DatabaseProvider DefaultDatabase { get; set; } = DatabaseProvider.Sqlite;

    public Uri Address { get; }

    /// <summary>The app's data folder (database, key ring).</summary>
    public string DataDirectory => _data;

    public IServiceProvider Services => _app.Services;

    public T Get<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>The password of <c>admin</c>, created at start-up from the bootstrap setting.</summary>
    public const string AdminPassword = "test-admin-password";

    /// <summary>
    /// Starts the app with the rig engine as <c>rig</c>, a fresh data folder and the bootstrap admin,
    /// plus any engines and settings in <paramref name="settings"/> (which may override these).
    /// </summary>
    public static async Task<DashboardApp> StartAsync(params string[] settings)
    {
        var contentRoot = FindWebProject();
        var data = Directory.CreateTempSubdirectory("dockerdash-test-data-").FullName;
        var ownDatabase = DefaultDatabase == DatabaseProvider.PostgreSQL && !settings.Any(s => s.StartsWith("--" + DatabaseOptions.SectionName, StringComparison.Ordinal))
            ? await TestDatabases.CreateAsync()
            : null;
        string[] database = ownDatabase is null
            ? []
            : [$"--{DatabaseOptions.SectionName}:Provider=PostgreSQL", $"--{DatabaseOptions.SectionName}:ConnectionString={ownDatabase}"];
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            "--contentRoot", contentRoot,
            "--applicationName", "DockerDash",
            "--DockerDash:Engines:0:Name=rig",
            $"--DockerDash:Engines:0:Endpoint={TestRig.EngineEndpoint}",
            $"--DockerDash:DataDirectory={data}",
            $"--DockerDash:Bootstrap:AdminPassword={AdminPassword}",
            "--Logging:LogLevel:Default=Warning",
            // No scheduled update check in tests (they check on demand); a short watch after an update.
            "--DockerDash:Updates:Interval=00:00:00",
            "--DockerDash:Updates:Grace=00:00:03",
            // No resource history unless a test asks (it holds a stats stream open for every running container of the
            // rig, which every test shares); a test that asks samples every second.
            "--DockerDash:History:Enabled=false",
            "--DockerDash:History:SampleSeconds=1",
            .. database,
            .. settings,
        ];
        var app = DockerDashApp.Build(args);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new DashboardApp(app, new Uri(address), data, args, ownDatabase);
    }

    /// <summary>Stops the app as an outage would: open connections close, the address stops answering.</summary>
    public async Task StopAsync()
    {
        _stopped = true;
        // As an outage would: connections still open after a moment are cut, not waited for (the host's default is 30 s).
        using var outage = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        await _app.StopAsync(outage.Token);
        await _app.DisposeAsync();
    }

    /// <summary>Starts the app again at the same address with the same data (users, tokens, keys), as after a restart.</summary>
    public async Task StartAgainAsync()
    {
        var args = _args.Select(a => a == "http://127.0.0.1:0" ? Address.ToString().TrimEnd('/') : a).ToArray();
        _app = DockerDashApp.Build(args);
        await _app.StartAsync();
        _stopped = false;
    }

    /// <summary>A scoped service acting for <paramref name="caller"/> (default: an admin), as a page or hub call would.</summary>
    public T As<T>(Caller? caller = null) where T : notnull
    {
        var scope = _app.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<CallerContext>().Current = caller ?? TestCallers.Admin;
        return scope.ServiceProvider.GetRequiredService<T>();
    }

    /// <summary>Creates an API (or kiosk) token with a role on every engine; returns it.</summary>
    public Task<string> CreateTokenAsync(DashboardRole role, TokenKind kind = TokenKind.Api, string scope = "*") =>
        As<TokenService>().CreateAsync(new TokenRequest($"test {role} {kind}", kind, role, [scope], TimeSpan.FromHours(1)));

    /// <summary>A hub connection authenticated with <paramref name="token"/> in the Authorization header; JSON, or MessagePack when asked.</summary>
    public HubConnection Hub(string? token, bool messagePack = false)
    {
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(Address, "/hubs/docker"), o =>
            {
                if (token is not null)
                {
                    o.Headers["Authorization"] = "Bearer " + token;
                }
            });
        return (messagePack ? builder.AddMessagePackProtocol() : builder).Build();
    }

    /// <summary>Everything the gate recorded so far, from the database.</summary>
    public async Task<IReadOnlyList<AuditEntry>> AuditAsync()
    {
        await Get<PersistedAudit>().FlushAsync();
        return await As<AuditService>().QueryAsync(new AuditQuery(Limit: 100_000));
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
        if (!_stopped)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (_ownDatabase is not null)
        {
            await TestDatabases.DropAsync(_ownDatabase);
        }

        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; the temp folder is cleaned by the system.
        }
    }
}
