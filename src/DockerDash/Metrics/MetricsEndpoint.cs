using DockerDash.Callers;
using DockerDash.Operations;
using DockerDash.Stats;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace DockerDash.Metrics;

/// <summary>
/// <c>GET /metrics</c> in the Prometheus text format (OpenTelemetry's exporter). Scraped with an API token
/// (<c>Authorization: Bearer</c>) whose caller may read metrics (Viewer on every engine: the metrics name every engine's
/// containers), or without one when <c>DockerDash:Metrics:AllowAnonymous</c> is true.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static IServiceCollection AddDashboardMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<MetricsOptions>(configuration.GetSection(MetricsOptions.SectionName));
        services.AddHostedService(sp => sp.GetRequiredService<ContainerStatsCollector>());
        services.AddSingleton<ObservedMetrics>();
        services.AddScoped<MetricsAccess>();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("dockerdash"))
            .WithMetrics(metrics => metrics.AddMeter(AppMetrics.MeterName).AddPrometheusExporter());
        return services;
    }

    /// <summary>Serves <see cref="Path"/> behind the gate; after authentication, so that a token is known.</summary>
    public static WebApplication UseMetricsEndpoint(this WebApplication app)
    {
        // The gauges register themselves on the meter when made.
        app.Services.GetRequiredService<ObservedMetrics>();
        app.UseOpenTelemetryPrometheusScrapingEndpoint(
            meterProvider: null,
            predicate: http => http.Request.Path == Path,
            path: null,
            configureBranchedPipeline: branch => branch.Use(AuthorizeAsync),
            optionsName: null);
        return app;
    }

    private static async Task AuthorizeAsync(HttpContext http, Func<Task> next)
    {
        if (http.RequestServices.GetRequiredService<IOptions<MetricsOptions>>().Value.AllowAnonymous)
        {
            await ScrapeAsync(http, next);
            return;
        }

        if (http.User.Identity?.IsAuthenticated != true)
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            http.Response.Headers.WWWAuthenticate = "Bearer";
            await http.Response.WriteAsync("/metrics needs an API token (Authorization: Bearer), or DockerDash:Metrics:AllowAnonymous=true.");
            return;
        }

        try
        {
            http.RequestServices.GetRequiredService<MetricsAccess>().Authorize();
        }
        catch (OperationDeniedException e)
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            await http.Response.WriteAsync(e.Message);
            return;
        }

        await ScrapeAsync(http, next);
    }

    /// <summary>A scrape let through: containers' stats streams open (or stay open) for the next ones.</summary>
    private static Task ScrapeAsync(HttpContext http, Func<Task> next)
    {
        http.RequestServices.GetRequiredService<ContainerStatsCollector>().Scraped();
        return next();
    }
}

/// <summary>The gate's word on the current caller scraping <c>/metrics</c>.</summary>
public sealed class MetricsAccess(OperationGate gate, CallerContext caller)
{
    /// <summary>Throws <see cref="OperationDeniedException"/> (audited) unless the caller has Viewer on every engine.</summary>
    public void Authorize() => gate.Authorize(caller.Current, AppOperations.MetricsRead, AppOperations.Scope, MetricsEndpoint.Path);
}
