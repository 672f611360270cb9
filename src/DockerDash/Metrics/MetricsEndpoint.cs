using System.IO.Compression;
using System.Text;
using DockerDash.Callers;
using DockerDash.Operations;
using DockerDash.Stats;
using Microsoft.AspNetCore.Http.Features;
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

    /// <summary>
    /// A scrape let through: OpenTelemetry's exporter writes the counters and the histogram, the gauges of
    /// <see cref="ObservedMetrics"/> follow them on the same page (gzip-compressed here as a whole when the scraper
    /// takes gzip, as Prometheus does); containers' stats streams open (or stay open) for the next ones.
    /// </summary>
    private static async Task ScrapeAsync(HttpContext http, Func<Task> next)
    {
        http.RequestServices.GetRequiredService<ContainerStatsCollector>().Scraped();
        var gzip = TakesGzip(http.Request);
        using var exported = await ExportAsync(http, next);
        if (http.Response.StatusCode != StatusCodes.Status200OK)
        {
            await exported.CopyToAsync(http.Response.Body, http.RequestAborted);
            return;
        }

        if (gzip)
        {
            http.Response.Headers.ContentEncoding = "gzip";
            http.Response.Headers.Vary = "Accept-Encoding";
        }

        await using var compressed = gzip ? new GZipStream(http.Response.Body, CompressionLevel.Fastest, leaveOpen: true) : null;
        await using var page = new StreamWriter(compressed ?? http.Response.Body, new UTF8Encoding(false), 16 * 1024, leaveOpen: true) { NewLine = "\n" };
        await exported.CopyToAsync(page.BaseStream, http.RequestAborted);
        foreach (var line in http.RequestServices.GetRequiredService<ObservedMetrics>().Lines())
        {
            await page.WriteLineAsync(line);
        }
    }

    /// <summary>
    /// The exporter's part, into a buffer of its own, so that the page is put together and compressed here: asked for plain
    /// text (OpenMetrics would end it with "# EOF") and uncompressed (it gzips what it writes itself, and what followed
    /// would not be).
    /// </summary>
    private static async Task<MemoryStream> ExportAsync(HttpContext http, Func<Task> next)
    {
        http.Request.Headers.Accept = "text/plain";
        http.Request.Headers.AcceptEncoding = "identity";
        var response = http.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        var exported = new MemoryStream();
        http.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(exported));
        try
        {
            await next();
        }
        finally
        {
            http.Features.Set(response);
        }

        exported.Position = 0;
        return exported;
    }

    private static bool TakesGzip(HttpRequest request) =>
        request.GetTypedHeaders().AcceptEncoding.Any(e => e.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase) && e.Quality is null or > 0);
}

/// <summary>The gate's word on the current caller scraping <c>/metrics</c>.</summary>
public sealed class MetricsAccess(OperationGate gate, CallerContext caller)
{
    /// <summary>Throws <see cref="OperationDeniedException"/> (audited) unless the caller has Viewer on every engine.</summary>
    public void Authorize() => gate.Authorize(caller.Current, AppOperations.MetricsRead, AppOperations.Scope, MetricsEndpoint.Path);
}
