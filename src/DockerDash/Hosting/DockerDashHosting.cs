using DockerDash.Alerts;
using DockerDash.Data;
using DockerDash.Jobs;
using DockerDash.Components;
using DockerDash.Containers;
using DockerDash.Engines;
using DockerDash.Events;
using DockerDash.Files;
using DockerDash.Registries;
using DockerDash.Images;
using DockerDash.Health;
using DockerDash.Hubs;
using DockerDash.Logs;
using DockerDash.Stats;
using DockerDash.Operations;
using DockerDash.Security;
using DockerDash.Security.Accounts;
using DockerDash.Security.Audit;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.SignalR;
using MudBlazor.Services;
using DockerDash.Callers;
using DockerDash.Terminals;

using DockerDash.Updates;
using DockerDash.Metrics;
using DockerDash.Replicas;

namespace DockerDash.Hosting;

/// <summary>Wires DockerDash's services and endpoints: the one place to read what the app is made of.</summary>
public static class DockerDashHosting
{
    /// <summary>Whether the pages' WebSocket messages are compressed (default true).</summary>
    public const string CompressPagesKey = "DockerDash:Pages:CompressWebSockets";

    public static WebApplicationBuilder AddDockerDash(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var options = builder.Configuration.GetSection(DockerDashOptions.SectionName).Get<DockerDashOptions>() ?? new DockerDashOptions();
        var endpoints = EngineEndpoint.Resolve(options, builder.Configuration["DOCKER_HOST"]);

        services.AddSingleton(TimeProvider.System);
        services.AddDashboardData(builder.Configuration);
        services.AddReplicas(builder.Configuration);
        services.AddSingleton(sp => new EngineDirectory(endpoints, sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<EngineWatcher>();

        builder.AddDockerDashSecurity();
        services.AddDashboardServices();
        services.AddHostedService(sp => sp.GetRequiredService<AlertMonitor>());
        services.AddHostedService<LogRuleWatcher>();
        services.Configure<TerminalOptions>(builder.Configuration.GetSection(TerminalOptions.SectionName));
        services.AddHostedService<RecordingRetention>();
        services.Configure<DockerDash.Projects.ProjectOptions>(builder.Configuration.GetSection(DockerDash.Projects.ProjectOptions.SectionName));
        services.Configure<DockerDash.Updates.UpdateOptions>(builder.Configuration.GetSection(DockerDash.Updates.UpdateOptions.Section));
        services.AddHostedService<DockerDash.Updates.UpdateSchedule>();
        services.AddDashboardMetrics(builder.Configuration);
        services.AddHostedService(sp => sp.GetRequiredService<DockerDash.History.HistoryRecorder>());

        services.AddHttpContextAccessor();
        services.AddCascadingAuthenticationState();
        services.AddScoped<CircuitHandler, CircuitCallerHandler>();
        services.AddRazorComponents().AddInteractiveServerComponents();
        // Toasts in the bottom corner, small, out of the way of headers and buttons; never more than three at once.
        services.AddMudServices(mud =>
        {
            mud.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomRight;
            mud.SnackbarConfiguration.MaxDisplayedSnackbars = 3;
            mud.SnackbarConfiguration.PreventDuplicates = true;
        });
        services.Configure<HubStreamOptions>(builder.Configuration.GetSection(HubStreamOptions.SectionName));
        services.AddSingleton<HubStreamLimits>();
        // The caller filter (session re-checks, token connections) is for /hubs/docker only: Blazor's own hub carries
        // every page event and file upload chunk, and its circuits are re-checked by CircuitSessionRevalidator.
        services.AddSignalR()
            .AddHubOptions<DockerHub>(o => o.AddFilter<HubCallerFilter>())
            .AddHubProtocols()
            .AddReplicaBackplane(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// JSON (camelCase) and, for clients that follow chatty logs, MessagePack: smaller messages, cheaper to write and
    /// to read. In both, log batches and lines are written from pieces encoded once for all viewers (<see cref="HubLogBatch"/>, <see cref="HubLogLine"/>).
    /// </summary>
    public static ISignalRServerBuilder AddHubProtocols(this ISignalRServerBuilder signalR) =>
        signalR
            .AddJsonProtocol(o =>
            {
                o.PayloadSerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase;
                o.PayloadSerializerOptions.Converters.Add(new HubLogBatchJsonConverter());
                o.PayloadSerializerOptions.Converters.Add(new HubLogLineJsonConverter());
            })
            .AddMessagePackProtocol(o => o.SerializerOptions = HubLogBatchMessagePackFormatter.With(o.SerializerOptions));

    /// <summary>
    /// The services that pages, the hub and the endpoints use (store, gate, callers, containers, events, logs,
    /// stats, alerts, jobs, images, files, registries, consoles). The bUnit tests register these same ones and swap only
    /// the engine client, the policy and the audit.
    /// </summary>
    public static IServiceCollection AddDashboardServices(this IServiceCollection services)
    {
        // Signals to other replicas (rules changed, a firing, a revoked token) are part of the services that raise them.
        services.AddSingleton<ReplicaIdentity>();
        services.AddSingleton<ReplicaSignals>();
        services.AddSingleton<LeaseState>();
        services.AddMetrics();
        services.AddSingleton<AppMetrics>();
        services.AddSingleton(_ => new ContainerStore());
        services.AddSingleton<EngineEventBroadcast>();
        services.AddSingleton<IOperationPolicy, RolePolicy>();
        services.AddSingleton<OperationGate>();
        services.AddScoped<CallerContext>();
        services.AddScoped<CallerPermissions>();
        services.AddScoped<ContainerService>();
        services.AddScoped<ContainerBatch>();
        services.AddScoped<EventService>();
        services.AddSingleton<LogFeeds>();
        services.AddScoped<LogService>();
        services.AddSingleton<StatsFeeds>();
        services.AddScoped<StatsService>();
        services.AddOptions<DockerDash.History.HistoryOptions>().BindConfiguration(DockerDash.History.HistoryOptions.SectionName);
        services.AddSingleton<DockerDash.History.HistoryStore>();
        services.AddSingleton<DockerDash.History.TileHistory>();
        services.AddScoped<DockerDash.History.HistoryService>();
        services.AddSingleton<DockerDash.History.HistoryRecorder>();
        services.AddSingleton<IStatsDemand, DockerDash.History.HistoryDemand>();
        services.AddSingleton<IStatsDemand>(sp => sp.GetRequiredService<AlertStore>());
        services.AddSingleton<ContainerStatsCollector>();
        services.AddSingleton<UsageDemand>();
        services.AddSingleton<IStatsDemand>(sp => sp.GetRequiredService<UsageDemand>());
        services.AddScoped<EngineUsageService>();
        services.AddSingleton<AlertStore>();
        services.AddSingleton<AlertNotifications>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.SectionName);
        services.AddSingleton<AlertMailer>();
        services.AddHttpClient(WebhookDispatcher.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(DockerDash.Outbound.OutboundHttp.Handler);
        services.AddSingleton<AlertMonitor>();
        services.AddScoped<AlertService>();
        services.AddSingleton<JobRunner>();
        services.AddScoped<ImageService>();
        services.AddScoped<ImageTransfers>();
        services.AddScoped<DockerDash.Files.ContainerFiles>();
        services.AddSingleton<DockerDash.Registries.RegistryClients>();
        services.AddScoped<DockerDash.Registries.RegistryService>();
        services.AddHttpClient(DockerDash.Registries.RegistryService.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(30))
            .ConfigurePrimaryHttpMessageHandler(DockerDash.Outbound.OutboundHttp.Handler);
        services.AddScoped<DockerDash.Components.Jobs.JobsPanelState>();
        services.AddScoped<ContainerRecreate>();
        services.AddScoped<DockerDash.Volumes.VolumeService>();
        services.AddScoped<DockerDash.Networks.NetworkService>();
        services.AddScoped<DockerDash.Engines.Info.EngineService>();
        services.AddScoped<DockerDash.Projects.ProjectService>();
        services.AddSingleton<TerminalSessions>();
        services.AddScoped<TerminalService>();
        services.AddSingleton<DockerDash.Registries.TagChanges>();
        services.AddSingleton<DockerDash.Updates.RegistryLookup>();
        services.AddSingleton<DockerDash.Updates.UpdateChecker>();
        services.AddScoped<DockerDash.Updates.ContainerUpdater>();
        services.AddScoped<DockerDash.Updates.UpdateWebhookService>();
        return services;
    }

    public static WebApplication MapDockerDash(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }

        // A browser asking for an address nothing answers gets the app's own "not found" page (scripts keep their bare 404).
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.Use((http, next) =>
        {
            if (!(HttpMethods.IsGet(http.Request.Method) && http.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.Ordinal))
                && http.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages)
            {
                pages.Enabled = false;
            }

            return next(http);
        });

        app.UseDockerDashSecurity();
        app.UseMetricsEndpoint();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapHealth();
        app.MapAccountEndpoints();
        app.MapAuditCsv();
        app.MapUpdateWebhooks();
        var transfers = app.MapGroup("").AddEndpointFilter<OperationFailureFilter>();
        transfers.MapLogDownload();
        transfers.MapImageTransfers();
        transfers.MapContainerFiles();
        transfers.MapRegistryDownloads();
        app.MapHub<DockerHub>(DockerHub.Path);
        // Pages' WebSockets are compressed (less to send to a phone); each compressed connection holds a deflate state of
        // about 0.25 MB, so a server feeding many wall displays on a LAN may turn it off (bench/results/pages.md).
        var compress = app.Configuration.GetValue(CompressPagesKey, true);
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.DisableWebSocketCompression = !compress);
        return app;
    }
}
